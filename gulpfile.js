const { src, dest } = require('gulp');

/** Copies the SVG icons and the nodes' codex files (*.node.json) next to the compiled code in dist/. */
function buildIcons() {
	return src(['icons/*.svg', 'nodes/**/*.{svg,json}', 'credentials/**/*.svg'], { base: '.' }).pipe(
		dest('dist'),
	);
}

exports['build:icons'] = buildIcons;
