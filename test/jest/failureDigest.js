/**
 * Jest reporter: when BREX_X3_FAILURE_DIGEST names a file, appends every failed test (or test file that
 * could not run) with the head of its message. scripts/test.sh prints that file under its summary, so the
 * reason of a red CI stays in the last lines of a long log (n8n's own logs follow jest's report there).
 */
const fs = require('node:fs');
const path = require('node:path');

const MAX_LINES_PER_FAILURE = 24;
const MAX_LINE_LENGTH = 300;

function plain(text) {
	return String(text).replace(/\u001b\[[0-9;]*m/g, '');
}

function head(message) {
	const lines = plain(message)
		.split('\n')
		// Stack frames of jest and Node say nothing about the failure; the test's own frames stay.
		.filter(
			(line) =>
				line.trim() !== '' &&
				!/^\s*at (.*(node_modules|node:internal)|new Promise \(<anonymous>\))/.test(line),
		);
	const kept = lines
		.slice(0, MAX_LINES_PER_FAILURE)
		.map((line) => (line.length > MAX_LINE_LENGTH ? `${line.slice(0, MAX_LINE_LENGTH)}…` : line));
	if (lines.length > kept.length) kept.push(`… ${lines.length - kept.length} more lines`);
	return kept.map((line) => `      ${line}`).join('\n');
}

class FailureDigestReporter {
	constructor(globalConfig) {
		this.rootDir = globalConfig.rootDir;
	}

	onRunComplete(_contexts, results) {
		const target = process.env.BREX_X3_FAILURE_DIGEST;
		if (!target) return;
		const entries = [];
		for (const file of results.testResults) {
			const where = path.relative(this.rootDir, file.testFilePath);
			const failedTests = file.testResults.filter((test) => test.status === 'failed');
			for (const test of failedTests) {
				entries.push(`    ✕ ${where} › ${test.fullName}\n${head(test.failureMessages.join('\n'))}`);
			}
			if (failedTests.length === 0 && (file.testExecError || file.failureMessage)) {
				const message = file.testExecError?.message ?? file.failureMessage;
				entries.push(`    ✕ ${where} (the file did not run)\n${head(message)}`);
			}
		}
		if (entries.length > 0) fs.appendFileSync(target, `${entries.join('\n')}\n`);
	}
}

module.exports = FailureDigestReporter;
