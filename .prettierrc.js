// Prettier, with the settings of n8n's own node starter (n8n-io/n8n-nodes-starter): tabs, single quotes, trailing
// commas, 100 columns. `npm run format` applies it; `npm run lint` checks it.
module.exports = {
	semi: true,
	trailingComma: 'all',
	bracketSpacing: true,
	useTabs: true,
	tabWidth: 2,
	arrowParens: 'always',
	singleQuote: true,
	quoteProps: 'as-needed',
	endOfLine: 'lf',
	printWidth: 100,
};
