/**
 * Reading a finished execution's run data (public API, includeData=true): the items of a node's outputs with
 * their paired item resolved to the input item they came from.
 */
import type { ExecutionSummary } from '../../e2e/lib/n8nInstance';

interface RunItem {
	json: Record<string, unknown>;
	pairedItem?: { item: number; input?: number } | Array<{ item: number; input?: number }> | number;
}

interface TaskRun {
	data?: { main?: Array<RunItem[] | null> };
	source?: Array<{
		previousNode: string;
		previousNodeOutput?: number;
		previousNodeRun?: number;
	} | null>;
}

type RunData = Record<string, TaskRun[]>;

export interface OutputItem {
	node: string;
	output: number;
	json: Record<string, unknown>;
	/** The input item the output item is paired to, or null when it has no (resolvable) paired item. */
	input: Record<string, unknown> | null;
	/** Index of that input item among the items the node received (-1 when not paired). */
	inputIndex: number;
}

function runDataOf(execution: ExecutionSummary): RunData {
	return (execution.data?.resultData?.runData ?? {}) as unknown as RunData;
}

function pairedOf(item: RunItem): { item: number; input: number } | null {
	const paired = Array.isArray(item.pairedItem) ? item.pairedItem[0] : item.pairedItem;
	if (paired === undefined || paired === null) return null;
	if (typeof paired === 'number') return { item: paired, input: 0 };
	return { item: paired.item, input: paired.input ?? 0 };
}

/** Every item a node put on `output` (0 = main, 1 = error output), over all its runs. */
export function outputItems(
	execution: ExecutionSummary,
	node: string,
	output: number,
): OutputItem[] {
	const runData = runDataOf(execution);
	const items: OutputItem[] = [];
	for (const run of runData[node] ?? []) {
		for (const item of run.data?.main?.[output] ?? []) {
			const paired = pairedOf(item);
			let input: Record<string, unknown> | null = null;
			const source = paired ? run.source?.[paired.input] : null;
			if (paired && source) {
				const previous = runData[source.previousNode]?.[source.previousNodeRun ?? 0];
				input = previous?.data?.main?.[source.previousNodeOutput ?? 0]?.[paired.item]?.json ?? null;
			}
			items.push({ node, output, json: item.json, input, inputIndex: paired?.item ?? -1 });
		}
	}
	return items;
}
