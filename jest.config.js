/** Unit tests: pure logic and nodes with nock. Integration: against the local emulators (started in-process). */
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.dev.json', diagnostics: false }];
// svix 2.x ships ESM only; transform it so jest's CommonJS runtime can load it as the oracle.
const shared = {
	testEnvironment: 'node',
	transform: { '^.+\\.(ts|mjs|js)$': tsJest },
	transformIgnorePatterns: ['/node_modules/(?!(svix)/)'],
	moduleNameMapper: { '^svix$': '<rootDir>/node_modules/svix/dist/index.mjs' },
	moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
};
module.exports = {
	projects: [
		{ ...shared, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
		{ ...shared, displayName: 'integration', testMatch: ['<rootDir>/test/integration/**/*.test.ts'] },
	],
};
