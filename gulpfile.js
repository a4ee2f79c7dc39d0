/**
 * Copies the node and credential icons (and codex files tsc does not emit) next to the compiled code in dist/,
 * and the package entry point index.js into dist/ (package.json "main"), so the published tarball is dist/ only.
 * Works as a gulp file (`gulp build:icons`) and standalone (`node gulpfile.js build:icons`), so the build needs
 * no gulp install.
 */
const fs = require('node:fs');
const path = require('node:path');

const ROOT = __dirname;
const SOURCES = ['nodes', 'credentials'];
const COPIED = /\.(svg|png)$/;

function walk(dir, found = []) {
	if (!fs.existsSync(dir)) return found;
	for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) walk(full, found);
		else if (COPIED.test(entry.name)) found.push(full);
	}
	return found;
}

function buildIcons(done) {
	let copied = 0;
	for (const source of SOURCES) {
		for (const file of walk(path.join(ROOT, source))) {
			const target = path.join(ROOT, 'dist', path.relative(ROOT, file));
			fs.mkdirSync(path.dirname(target), { recursive: true });
			fs.copyFileSync(file, target);
			copied++;
		}
	}
	// npm always packs the "main" file; pointing it into dist/ keeps the tarball to dist/ + README + LICENSE.
	fs.mkdirSync(path.join(ROOT, 'dist'), { recursive: true });
	fs.copyFileSync(path.join(ROOT, 'index.js'), path.join(ROOT, 'dist', 'index.js'));
	copied++;
	if (typeof done === 'function') done();
	return copied;
}

exports['build:icons'] = buildIcons;

if (require.main === module) {
	const task = process.argv[2] || 'build:icons';
	if (!exports[task]) {
		console.error(`Unknown task "${task}". Tasks: ${Object.keys(exports).join(', ')}`);
		process.exit(1);
	}
	console.log(`${task}: ${exports[task]()} files copied to dist/`);
}
