/**
 * jest settings of the compatibility smoke test (scripts/compat.sh runs it once per n8n version, with
 * BREX_X3_N8N_HOME pointing at that version's install). The repo's projects' transform settings, one project.
 */
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');
const base = require(path.join(root, 'jest.config.js'));
const browser = base.projects.find((project) => project.displayName === 'browser');

module.exports = {
	rootDir: root,
	reporters: base.reporters,
	projects: [
		{
			...browser,
			rootDir: root,
			displayName: 'compat',
			testMatch: ['<rootDir>/test/compat/**/*.compat.test.ts'],
		},
	],
};
