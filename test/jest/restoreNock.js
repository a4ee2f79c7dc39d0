// nock patches Node's shared http module; a test file that leaves it active would intercept the next file's
// requests in the same jest worker. Every unit test file ends with nock removed.
afterAll(() => {
	const loaded = require('nock');
	const nock = loaded.default ?? loaded;
	nock.cleanAll();
	nock.restore();
});
