const { src, dest } = require('gulp');

/** Copies the SVG icons next to the compiled nodes and credentials in dist/. */
function buildIcons() {
	return src(['icons/*.svg', 'nodes/**/*.svg', 'credentials/**/*.svg'], { base: '.' }).pipe(dest('dist'));
}

exports['build:icons'] = buildIcons;
