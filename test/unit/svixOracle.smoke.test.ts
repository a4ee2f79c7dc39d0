import { Webhook } from 'svix';

describe('svix oracle loads under jest', () => {
	it('signs a payload', () => {
		const wh = new Webhook('whsec_' + Buffer.from('k'.repeat(24)).toString('base64'));
		const sig = wh.sign('msg_1', new Date(1_700_000_000_000), '{"a":1}');
		expect(sig).toMatch(/^v1,[A-Za-z0-9+/=]+$/);
	});
});
