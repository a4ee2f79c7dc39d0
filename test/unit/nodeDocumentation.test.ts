/**
 * What users see in the editor before they run anything: every node has a codex entry in the Finance &
 * Accounting category with documentation links, light and dark icons that exist, and a description on every
 * parameter; every credential has a documentation URL and a way to be tested.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { ICredentialType, INodeProperties, INodeType } from 'n8n-workflow';

import { BrexApi } from '../../credentials/BrexApi.credentials';
import { BrexOAuth2Api } from '../../credentials/BrexOAuth2Api.credentials';
import { SageX3Api } from '../../credentials/SageX3Api.credentials';
import { SageX3CloudOAuth2Api } from '../../credentials/SageX3CloudOAuth2Api.credentials';
import { SageX3ConnectedAppApi } from '../../credentials/SageX3ConnectedAppApi.credentials';
import { Brex } from '../../nodes/Brex/Brex.node';
import { BrexTrigger } from '../../nodes/BrexTrigger/BrexTrigger.node';
import { SageX3 } from '../../nodes/SageX3/SageX3.node';
import { SageX3Trigger } from '../../nodes/SageX3Trigger/SageX3Trigger.node';

const ROOT = path.join(__dirname, '..', '..');
const nodes: Array<[string, INodeType]> = [
	['Brex', new Brex()],
	['BrexTrigger', new BrexTrigger()],
	['SageX3', new SageX3()],
	['SageX3Trigger', new SageX3Trigger()],
];
const credentials: ICredentialType[] = [
	new BrexApi(),
	new BrexOAuth2Api(),
	new SageX3Api(),
	new SageX3ConnectedAppApi(),
	new SageX3CloudOAuth2Api(),
];

/** Every parameter with its path, including those nested in collections and fixed collections. */
function parameters(properties: INodeProperties[], prefix = ''): Array<[string, INodeProperties]> {
	return properties.flatMap((property) => {
		const here = `${prefix}${property.name}`;
		const nested = (property.options ?? []).flatMap((option) => {
			if ('values' in option) return parameters(option.values, `${here}.${option.name}.`);
			if ('type' in option) return parameters([option as INodeProperties], `${here}.`);
			return [];
		});
		return [[here, property] as [string, INodeProperties], ...nested];
	});
}

/** Resource and operation selectors describe themselves through their options, as n8n's own nodes do. */
const SELF_DESCRIBING = new Set(['resource', 'operation']);

describe.each(nodes)('%s node', (folder, node) => {
	const { description } = node;

	it('has a codex file in Finance & Accounting with documentation links', () => {
		const codex = JSON.parse(
			fs.readFileSync(path.join(ROOT, 'nodes', folder, `${folder}.node.json`), 'utf8'),
		) as {
			node: string;
			categories: string[];
			resources: Record<string, Array<{ url: string }>>;
		};
		expect(codex.node).toBe(`n8n-nodes-brex-sage-x3.${description.name}`);
		expect(codex.categories).toContain('Finance & Accounting');
		const links = [
			...(codex.resources.primaryDocumentation ?? []),
			...(codex.resources.credentialDocumentation ?? []),
		];
		expect(links.length).toBeGreaterThanOrEqual(2);
		for (const link of links) expect(link.url).toMatch(/^https:\/\//);
	});

	it('has light and dark SVG icons that exist beside it', () => {
		const icon = description.icon as { light: string; dark: string };
		for (const file of [icon.light, icon.dark]) {
			expect(file).toMatch(/^file:.+\.svg$/);
			const svg = fs.readFileSync(path.join(ROOT, 'nodes', folder, file.slice(5)), 'utf8');
			expect(svg).toContain('<svg');
		}
		expect(icon.light).not.toBe(icon.dark);
	});

	it('describes every parameter', () => {
		const undescribed = parameters(description.properties)
			.filter(([, property]) => property.type !== 'notice' && property.type !== 'hidden')
			.filter(([, property]) => !SELF_DESCRIBING.has(property.name))
			.filter(([, property]) => !property.description || property.description.trim().length < 8)
			.map(([where]) => where);
		expect(undescribed).toEqual([]);
	});
});

describe.each(credentials.map((credential) => [credential.name, credential] as const))(
	'%s credential',
	(_name, credential) => {
		it('links to where its values are found', () => {
			expect(credential.documentationUrl).toMatch(/^https:\/\//);
		});

		it('can be tested: its own request, a node test function, or n8n’s OAuth 2.0 token check', () => {
			const oauth2 = (credential.extends ?? []).includes('oAuth2Api');
			const testedByNode = nodes.some(([, node]) =>
				(node.description.credentials ?? []).some(
					(ref) => ref.name === credential.name && typeof ref.testedBy === 'string',
				),
			);
			expect(Boolean(credential.test) || testedByNode || oauth2).toBe(true);
		});

		it('describes every field', () => {
			const undescribed = credential.properties
				.filter((property) => property.type !== 'notice' && property.type !== 'hidden')
				.filter((property) => !property.description)
				.map((property) => property.name);
			expect(undescribed).toEqual([]);
		});
	},
);
