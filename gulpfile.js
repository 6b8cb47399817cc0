const { src, dest, parallel } = require('gulp');

// tsc compiles only .ts; n8n loads icons (`file:` paths) and codex files from beside the compiled classes.
function copyIcons() {
	return src('icons/**/*.svg', { encoding: false }).pipe(dest('dist/icons'));
}

function copyNodeAssets() {
	return src(['nodes/**/*.{png,svg}', 'credentials/**/*.{png,svg}'], {
		base: '.',
		encoding: false,
		allowEmpty: true,
	}).pipe(dest('dist'));
}

exports['build:icons'] = parallel(copyIcons, copyNodeAssets);
