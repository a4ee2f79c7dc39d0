import { storedOrFreshState } from '../../nodes/common/triggerState';

interface State {
	configKey: string;
	cursor: string;
}

const codec = {
	read: (raw: unknown, configKey: string): State | null =>
		typeof raw === 'object' && raw !== null && (raw as State).configKey === configKey
			? (raw as State)
			: null,
	empty: (configKey: string): State => ({ configKey, cursor: '' }),
};

describe('storedOrFreshState', () => {
	it('returns the stored state of the same configuration without a restart', () => {
		const restarts: string[] = [];
		const stored = { configKey: 'k1', cursor: 'c9' };
		expect(storedOrFreshState(stored, 'k1', codec, () => restarts.push('x'))).toBe(stored);
		expect(restarts).toEqual([]);
	});

	it('starts afresh and says so when the stored state is of another configuration or unreadable', () => {
		const restarts: string[] = [];
		const onRestart = () => restarts.push('restart');
		expect(storedOrFreshState({ configKey: 'k0', cursor: 'c9' }, 'k1', codec, onRestart)).toEqual({
			configKey: 'k1',
			cursor: '',
		});
		expect(storedOrFreshState('garbage', 'k1', codec, onRestart)).toEqual({
			configKey: 'k1',
			cursor: '',
		});
		expect(restarts).toEqual(['restart', 'restart']);
	});

	it('starts afresh without a restart notice on the first poll (nothing stored)', () => {
		const restarts: string[] = [];
		expect(storedOrFreshState(undefined, 'k1', codec, () => restarts.push('x'))).toEqual({
			configKey: 'k1',
			cursor: '',
		});
		expect(restarts).toEqual([]);
	});
});
