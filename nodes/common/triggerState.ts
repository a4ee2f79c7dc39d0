/** How a trigger's stored state is read back (null: unreadable or of another configuration) and started afresh. */
export interface TriggerStateCodec<State> {
	read(raw: unknown, configKey: string): State | null;
	empty(configKey: string): State;
}

/**
 * A trigger's stored state for the watched configuration, or a fresh one when the configuration changed or the
 * stored state is unreadable; `onRestart` is told only when something was stored (a first poll is no restart).
 */
export function storedOrFreshState<State>(
	raw: unknown,
	configKey: string,
	codec: TriggerStateCodec<State>,
	onRestart: () => void,
): State {
	const state = codec.read(raw, configKey);
	if (state) return state;
	if (raw !== undefined) onRestart();
	return codec.empty(configKey);
}
