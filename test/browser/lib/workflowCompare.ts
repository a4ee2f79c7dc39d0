/**
 * Compares a workflow the editor saved with the template file it was imported from, the way n8n itself
 * reads parameters: the editor drops parameters that equal their default and moves the whole drawing, so
 * parameters are compared after n8n's own normalisation (NodeHelpers.getNodeParameters, as the editor
 * does) and positions relative to the first node, within the editor's 16 px snapping grid. Node ids are new
 * on every import and are not compared.
 */
import { NodeHelpers } from 'n8n-workflow';
import type { INodeParameters, INodeProperties, INodeTypeDescription } from 'n8n-workflow';

export interface ComparedNode {
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string | null; name: string }>;
	webhookId?: string;
	disabled?: boolean;
	onError?: string;
	notes?: string;
	notesInFlow?: boolean;
	alwaysOutputData?: boolean;
	executeOnce?: boolean;
	retryOnFail?: boolean;
}

export interface ComparedWorkflow {
	nodes: ComparedNode[];
	connections: Record<string, unknown>;
}

export type NodeTypeDescription = Pick<INodeTypeDescription, 'name' | 'version' | 'properties'>;

/** Sorted object keys, so two values compare by content. */
function canonical(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(canonical);
	if (value && typeof value === 'object') {
		return Object.fromEntries(
			Object.keys(value)
				.sort()
				.map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
		);
	}
	return value;
}

function same(a: unknown, b: unknown): boolean {
	return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function show(value: unknown): string {
	const text = JSON.stringify(value) ?? 'undefined';
	return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

function describeType(
	types: NodeTypeDescription[],
	node: ComparedNode,
): NodeTypeDescription | undefined {
	return types.find(
		(type) =>
			type.name === node.type &&
			(Array.isArray(type.version)
				? type.version.includes(node.typeVersion)
				: type.version === node.typeVersion),
	);
}

/** The node's parameters as n8n reads them: defaults left out, values of hidden parameters dropped. */
function normalisedParameters(
	node: ComparedNode,
	type: NodeTypeDescription,
): Record<string, unknown> {
	return (NodeHelpers.getNodeParameters(
		type.properties,
		node.parameters as INodeParameters,
		false,
		false,
		{ typeVersion: node.typeVersion },
		type as INodeTypeDescription,
	) ?? {}) as Record<string, unknown>;
}

/** A top-level parameter present on one side only is the same when it holds the property's default. */
function isDefault(properties: INodeProperties[], name: string, value: unknown): boolean {
	return properties.some((property) => property.name === name && same(property.default, value));
}

/** The editor snaps imported nodes to its 16 px grid: a node may move by up to one cell. */
const GRID = 16;

const NODE_FIELDS = [
	'type',
	'typeVersion',
	'onError',
	'notes',
	'notesInFlow',
	'alwaysOutputData',
	'executeOnce',
	'retryOnFail',
] as const;

/**
 * Every difference between the template and the saved workflow that changes what the workflow does or
 * shows, one line each; an empty list means the editor imported the template unchanged.
 */
export function workflowDifferences(
	template: ComparedWorkflow,
	saved: ComparedWorkflow,
	types: NodeTypeDescription[],
): string[] {
	const differences: string[] = [];
	const savedByName = new Map(saved.nodes.map((node) => [node.name, node]));
	const templateNames = new Set(template.nodes.map((node) => node.name));
	for (const node of template.nodes) {
		if (!savedByName.has(node.name))
			differences.push(`node "${node.name}" (${node.type}) is missing`);
	}
	for (const node of saved.nodes) {
		if (!templateNames.has(node.name))
			differences.push(`node "${node.name}" (${node.type}) was added`);
	}

	const anchor = template.nodes.find((node) => savedByName.has(node.name));
	const offset = anchor
		? [
				savedByName.get(anchor.name)!.position[0] - anchor.position[0],
				savedByName.get(anchor.name)!.position[1] - anchor.position[1],
			]
		: [0, 0];

	for (const expected of template.nodes) {
		const actual = savedByName.get(expected.name);
		if (!actual) continue;
		const where = `node "${expected.name}"`;
		for (const field of NODE_FIELDS) {
			if (!same(expected[field], actual[field])) {
				differences.push(
					`${where}: ${field} ${show(expected[field])} became ${show(actual[field])}`,
				);
			}
		}
		if (Boolean(expected.disabled) !== Boolean(actual.disabled)) {
			differences.push(
				`${where}: disabled ${Boolean(expected.disabled)} became ${Boolean(actual.disabled)}`,
			);
		}
		if (!same(expected.credentials ?? {}, actual.credentials ?? {})) {
			differences.push(
				`${where}: credentials ${show(expected.credentials)} became ${show(actual.credentials)}`,
			);
		}
		// A webhook id is the node's production URL: it must survive the import.
		if (expected.webhookId !== undefined && expected.webhookId !== actual.webhookId) {
			differences.push(`${where}: webhookId ${expected.webhookId} became ${actual.webhookId}`);
		}
		const moved = [
			actual.position[0] - expected.position[0] - offset[0],
			actual.position[1] - expected.position[1] - offset[1],
		];
		if (Math.abs(moved[0]) > GRID || Math.abs(moved[1]) > GRID) {
			differences.push(`${where}: moved by ${moved.join(',')} relative to "${anchor!.name}"`);
		}

		const type = describeType(types, expected);
		if (!type) {
			differences.push(
				`${where}: n8n does not know ${expected.type} version ${expected.typeVersion}`,
			);
			continue;
		}
		const want = normalisedParameters(expected, type);
		const got = normalisedParameters(actual, type);
		for (const key of new Set([...Object.keys(want), ...Object.keys(got)])) {
			if (same(want[key], got[key])) continue;
			if (!(key in want) && isDefault(type.properties, key, got[key])) continue;
			if (!(key in got) && isDefault(type.properties, key, want[key])) continue;
			differences.push(`${where}: parameter ${key} ${show(want[key])} became ${show(got[key])}`);
		}
	}

	if (!same(template.connections, saved.connections)) {
		const sources = new Set([
			...Object.keys(template.connections),
			...Object.keys(saved.connections),
		]);
		for (const source of sources) {
			if (!same(template.connections[source], saved.connections[source])) {
				differences.push(
					`connections from "${source}": ${show(template.connections[source])} became ${show(saved.connections[source])}`,
				);
			}
		}
	}
	return differences;
}
