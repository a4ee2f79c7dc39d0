/**
 * Does an n8n know every node a workflow template uses, in the version the template uses it?
 *
 *   node test/compat/templateNodeTypes.js <export-nodes.json> <workflow.json>...
 *
 * <export-nodes.json> is what `n8n export:nodes --output=…` writes: the descriptions of every node type that n8n
 * loaded, community packages included. A template node whose type is missing, or whose typeVersion that type does
 * not offer, shows as an unknown ("?") node after import and cannot run. Exits 1 listing every such node; also
 * checks that every resource/operation a template node sets is one its type offers (the Data Table node's
 * "table" resource came later than its typeVersion 1.1).
 */
const fs = require('node:fs');
const path = require('node:path');

const [exportFile, ...workflowFiles] = process.argv.slice(2);
if (!exportFile || workflowFiles.length === 0) {
	console.error('usage: node templateNodeTypes.js <export-nodes.json> <workflow.json>...');
	process.exit(2);
}

/** Versions a description covers: `version` is a number or a list of numbers. */
function versionsOf(description) {
	return Array.isArray(description.version) ? description.version : [description.version];
}

/** Values a description offers for an options parameter (all variants of it, whatever their display rules). */
function optionValues(description, name) {
	const values = new Set();
	for (const property of description.properties ?? []) {
		if (property.name === name && Array.isArray(property.options)) {
			for (const option of property.options) values.add(option.value);
		}
	}
	return values;
}

const descriptions = JSON.parse(fs.readFileSync(exportFile, 'utf8'));
/** "type@version" → descriptions offering it (a versioned node type lists one description per version). */
const byTypeVersion = new Map();
for (const description of descriptions) {
	for (const version of versionsOf(description)) {
		const key = `${description.name}@${version}`;
		byTypeVersion.set(key, [...(byTypeVersion.get(key) ?? []), description]);
	}
}

const problems = [];
let checked = 0;
for (const file of workflowFiles) {
	const workflow = JSON.parse(fs.readFileSync(file, 'utf8'));
	for (const node of workflow.nodes ?? []) {
		checked++;
		const where = `${path.basename(file)}: "${node.name}" (${node.type} v${node.typeVersion})`;
		const offered = byTypeVersion.get(`${node.type}@${node.typeVersion}`);
		if (!offered) {
			const known = descriptions.filter((d) => d.name === node.type).flatMap(versionsOf);
			problems.push(
				known.length === 0
					? `${where}: node type not loaded`
					: `${where}: this n8n offers versions ${known.join(', ')} only`,
			);
			continue;
		}
		for (const name of ['resource', 'operation']) {
			const value = node.parameters?.[name];
			if (typeof value !== 'string') continue;
			const values = new Set(offered.flatMap((d) => [...optionValues(d, name)]));
			if (values.size > 0 && !values.has(value)) {
				problems.push(`${where}: ${name} "${value}" not offered (has: ${[...values].join(', ')})`);
			}
		}
	}
}

if (problems.length > 0) {
	console.error(`${problems.length} template node(s) this n8n cannot load:`);
	for (const problem of problems) console.error(`  - ${problem}`);
	process.exit(1);
}
console.log(`all ${checked} template nodes are known to this n8n in their versions`);
