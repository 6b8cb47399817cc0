'use strict';
// n8n loads the classes listed under "n8n" in package.json; this entry lets other code (tests, scripts, other
// tools) require the built node and credential by name.
const {
	OnOfficeFileUpload,
} = require('./dist/nodes/OnOfficeFileUpload/OnOfficeFileUpload.node.js');
const { OnOfficeApi } = require('./dist/credentials/OnOfficeApi.credentials.js');

module.exports = { OnOfficeFileUpload, OnOfficeApi };
