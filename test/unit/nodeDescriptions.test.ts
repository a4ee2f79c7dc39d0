import type { INodeProperties } from 'n8n-workflow';

import {
	limitProperty,
	operationDescription,
	operationProperty,
	resourceProperty,
} from '../../nodes/common/nodeDescriptions';

const codeField: INodeProperties = {
	displayName: 'Code',
	name: 'code',
	type: 'string',
	default: '',
};

describe('operationDescription', () => {
	it('shows every parameter for its resource and operation only', () => {
		const [code] = operationDescription('account', 'search', [codeField]);
		expect(code.displayOptions).toEqual({ show: { resource: ['account'], operation: ['search'] } });
	});

	it('keeps the conditions a parameter has of its own', () => {
		const shownWhenCreating: INodeProperties = {
			...codeField,
			displayOptions: { show: { notFoundPolicy: ['create'] } },
		};
		const [code] = operationDescription('supplier', 'findOrCreate', [shownWhenCreating]);
		expect(code.displayOptions?.show).toEqual({
			resource: ['supplier'],
			operation: ['findOrCreate'],
			notFoundPolicy: ['create'],
		});
	});

	it('leaves the parameters it was given as they were (each node module shares them)', () => {
		operationDescription('account', 'get', [codeField]);
		expect(codeField.displayOptions).toBeUndefined();
	});
});

describe('operationProperty and resourceProperty', () => {
	const operations = [{ name: 'Get', value: 'get', action: 'Get a thing' }];

	it('offers the operations of one resource, shown for that resource, never as an expression', () => {
		expect(operationProperty('expense', operations, 'get')).toEqual({
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { resource: ['expense'] } },
			options: operations,
			default: 'get',
		});
	});

	it('offers the resources, never as an expression', () => {
		const resources = [{ name: 'Expense', value: 'expense' }];
		expect(resourceProperty(resources, 'expense')).toEqual({
			displayName: 'Resource',
			name: 'resource',
			type: 'options',
			noDataExpression: true,
			options: resources,
			default: 'expense',
		});
	});
});

describe('limitProperty', () => {
	it('asks for at least one result, 50 by default', () => {
		expect(limitProperty).toMatchObject({
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 50,
		});
	});
});
