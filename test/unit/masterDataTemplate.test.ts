/**
 * The master-data template (workflows/x3-master-data-to-brex.json) routes what it should where it should: its Set
 * expressions evaluated on the items the Sage X3 node and trigger emit, its Switch rules on those values, and the
 * wiring of every Sync node (scope from the item, errors into the failure branch). The real-n8n run is
 * test/e2e/masterData.e2e.test.ts; this pins the parts a later edit of the JSON could break quietly.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

interface TemplateNode {
	name: string;
	type: string;
	parameters: Record<string, unknown>;
	onError?: string;
	disabled?: boolean;
	executeOnce?: boolean;
}
interface Connection {
	node: string;
}
interface Workflow {
	nodes: TemplateNode[];
	connections: Record<string, { main: Connection[][] }>;
}
interface Assignment {
	name: string;
	value: unknown;
}
interface Condition {
	leftValue: string;
	rightValue: string;
	operator: { operation: string };
}

const workflow = JSON.parse(
	fs.readFileSync(
		path.join(__dirname, '..', '..', 'workflows', 'x3-master-data-to-brex.json'),
		'utf8',
	),
) as Workflow;

function node(name: string): TemplateNode {
	const found = workflow.nodes.find((candidate) => candidate.name === name);
	if (!found) throw new Error(`no node ${name}`);
	return found;
}

function targets(from: string, output: number): string[] {
	return (workflow.connections[from]?.main[output] ?? []).map((connection) => connection.node);
}

interface Scope {
	$json: Record<string, unknown>;
	inputCount?: number;
	prevNode?: string;
}

/** Evaluates an n8n expression ("={{ … }}") the way the template uses them: $json, $input.all(), $prevNode, $(). */
function evaluate(value: unknown, scope: Scope): unknown {
	if (typeof value !== 'string' || !value.startsWith('={{')) return value;
	const source = value.slice(3, -2);
	const input = { all: () => new Array(scope.inputCount ?? 1).fill({}) };
	const prevNode = { name: scope.prevNode ?? '' };
	const nodeByName = (name: string) => ({ params: node(name).parameters });
	const now = { toISO: () => '2026-12-07T00:00:00.000Z' };
	return new Function('$json', '$input', '$prevNode', '$', '$now', `return (${source});`)(
		scope.$json,
		input,
		prevNode,
		nodeByName,
		now,
	);
}

/** What a Set node (manual mode) outputs for one item. */
function setOutput(name: string, scope: Scope): Record<string, unknown> {
	const set = node(name);
	const assignments = (set.parameters.assignments as { assignments: Assignment[] }).assignments;
	const base = set.parameters.includeOtherFields === true ? { ...scope.$json } : {};
	return Object.fromEntries([
		...Object.entries(base),
		...assignments.map((assignment) => [assignment.name, evaluate(assignment.value, scope)]),
	]);
}

/** The node the Switch sends an item to (first matching rule, as its options leave it), or null. */
function routed(item: Record<string, unknown>): string | null {
	const route = node('Route by Brex field');
	const rules = (
		route.parameters.rules as {
			values: Array<{ conditions: { conditions: Condition[]; combinator: string } }>;
		}
	).values;
	const index = rules.findIndex(({ conditions }) =>
		conditions.conditions.every((condition) => {
			expect(condition.operator.operation).toBe('equals');
			return evaluate(condition.leftValue, { $json: item }) === condition.rightValue;
		}),
	);
	if (index < 0) return null;
	const [target] = targets(route.name, index);
	return target ?? null;
}

// What the Sage X3 node's searches and the trigger emit (X3Account, X3Dimension, X3Supplier; trigger items).
const account = {
	chart: 'CA_FRA',
	code: '625100',
	description: 'Travel',
	isActive: true,
	requiredDimensionTypes: ['DEP'],
};
const closedDep = { type: 'DEP', code: 'OLD', description: 'Closed department', isActive: false };
const cct = { type: 'CCT', code: 'CC-SF', description: 'San Francisco', isActive: true };
const supplier = {
	code: 'SUP01',
	name: 'Acme',
	shortName: null,
	category: 'SUPUS',
	country: 'US',
	currency: 'USD',
	isActive: true,
};

describe('x3-master-data-to-brex.json', () => {
	const syncNodes = workflow.nodes.filter(
		(candidate) => candidate.parameters.operation === 'syncFromList',
	);

	it('turns every X3 list into sync values with the whole-list scope', () => {
		const values = (json: Record<string, unknown>) =>
			setOutput('X3 list → values', { $json: json, inputCount: 3 });
		expect(values(account)).toEqual({
			kind: 'account',
			code: '625100',
			label: 'Travel',
			active: true,
			dimensionType: '',
			sourceScope: 'all',
		});
		expect(values(closedDep)).toMatchObject({
			kind: 'dimension',
			dimensionType: 'DEP',
			code: 'OLD',
			active: false,
		});
		expect(values(supplier)).toMatchObject({ kind: 'supplier', label: 'Acme', active: true });
		// A disabled Read node passes the trigger's empty item on: it must reach no Sync node.
		expect(routed(values({}))).toBeNull();
	});

	it('marks a list as long as its read Limit incomplete and sends it to the failure branch, not to a Sync', () => {
		const readNodes = workflow.nodes.filter(
			(candidate) =>
				candidate.type.endsWith('.sageX3') && candidate.parameters.operation === 'search',
		);
		expect(readNodes.length).toBeGreaterThanOrEqual(3);
		for (const read of readNodes) {
			const limit = Number(read.parameters.limit);
			const at = setOutput('X3 list → values', { $json: account, inputCount: limit });
			const below = setOutput('X3 list → values', { $json: account, inputCount: limit - 1 });
			expect({ node: read.name, scope: at.sourceScope }).toEqual({
				node: read.name,
				scope: 'incomplete',
			});
			expect(below.sourceScope).toBe('all');
			expect(routed(at)).toBe('Failure → record');
			expect(targets(read.name, 0)).toEqual(['X3 list → values']);
		}
		const reason = setOutput('Failure → record', {
			$json: { ...setOutput('X3 list → values', { $json: closedDep, inputCount: 1000 }) },
			prevNode: 'Route by Brex field',
		}).reason;
		expect(reason).toContain('dimension DEP reached the read Limit');
	});

	it('routes each kind and dimension type to its own Sync node, trigger changes with the changes-only scope', () => {
		const change = (json: Record<string, unknown>) =>
			setOutput('Changes → values', { $json: json });
		const trigger = node('Sage X3 Trigger');
		const fromTrigger = change({ kind: 'account', code: '625100', label: 'Travel', active: true });
		expect(fromTrigger.sourceScope).toBe('changes');
		expect(routed(fromTrigger)).toBe('Sync GL accounts → Brex');
		for (const type of trigger.parameters.dimensionTypes as string[]) {
			const item = change({ kind: 'dimension', dimensionType: type, code: 'X', active: true });
			expect(routed(item)).toBe(`Sync ${type} values → Brex`);
			// The full re-sync reads the same types.
			const read = workflow.nodes.find(
				(candidate) =>
					candidate.parameters.dimensionType === type &&
					candidate.parameters.operation === 'search',
			);
			expect(read?.name).toBe(`Read X3 ${type} values`);
		}
		expect(routed(change({ kind: 'dimension', dimensionType: 'PRJ', code: 'X' }))).toBeNull();
		expect(routed(change({ kind: 'supplier', code: 'SUP01' }))).toBe('Sync suppliers → Brex');
		expect(targets('Sage X3 Trigger', 0)).toEqual(['Changes → values']);
	});

	it('has every Sync node take code, label, active and scope from the item, and send failures to the record', () => {
		expect(syncNodes.map((sync) => sync.name).sort()).toEqual([
			'Sync CCT values → Brex',
			'Sync DEP values → Brex',
			'Sync GL accounts → Brex',
			'Sync suppliers → Brex',
		]);
		const item = setOutput('X3 list → values', { $json: cct, inputCount: 3 });
		for (const sync of syncNodes) {
			const read = (name: string) => evaluate(sync.parameters[name], { $json: item });
			expect({
				node: sync.name,
				code: read('code'),
				label: read('label'),
				active: read('active'),
				scope: read('sourceScope'),
				onError: sync.onError,
				success: targets(sync.name, 0),
				failure: targets(sync.name, 1),
			}).toEqual({
				node: sync.name,
				code: 'CC-SF',
				label: 'San Francisco',
				active: true,
				scope: 'all',
				onError: 'continueErrorOutput',
				success: ['Summary'],
				failure: ['Failure → record'],
			});
			expect(String(sync.parameters.fieldId)).toMatch(/^SET_BREX_FIELD_ID_/);
		}
		// Suppliers are optional: off until the user enables them.
		expect(node('Sync suppliers → Brex').disabled).toBe(true);
		expect(node('Read X3 suppliers').disabled).toBe(true);
	});

	it('records a Brex failure with its reason and the field ID of the Sync node that failed', () => {
		const failure = setOutput('Failure → record', {
			$json: { error: 'Bad request - please check your parameters', description: 'field unknown' },
			prevNode: 'Sync DEP values → Brex',
		});
		expect(failure).toEqual({
			list: 'Sync DEP values → Brex',
			fieldId: 'SET_BREX_FIELD_ID_DEP',
			reason: 'Bad request - please check your parameters (field unknown)',
			at: '2026-12-07T00:00:00.000Z',
		});
		// One row per failed list (a cut list arrives as many items).
		expect(node('Failure → record').executeOnce).toBe(true);
		expect(targets('Failure → record', 0)).toEqual(['Failures: table']);
		expect(targets('Failures: table', 0)).toEqual(['Failures: record']);
	});
});
