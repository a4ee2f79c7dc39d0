/**
 * Runs the X3 emulator alone:
 *   node build/test/emulators/x3/cli.js [--port 8124] [--host 127.0.0.1] [--pool-size 4] [--pool-wait-ms 0]
 *        [--save-ms 0] [--other-ms 0] [--seed 42] [--busy-mode status0|http500] [--soap-style multiRef|inline]
 *        [--personality lenient|documented] [--gas-left-list TYP,NUM,…] [--over-length reject|truncate|…]
 *        [--gas-analytics separateBlock|lineFields] [--soap-json-results true|false]
 *        [--graphql-supplier-name companyName|companyName1|both] [--rest-link-origin https://host:port]
 * X3_EMULATOR_PERSONALITY and X3_EMULATOR_GAS_LEFT_LIST set the same as the flags (a flag wins). Alone it plays
 * `documented` unless told otherwise, like every launcher that runs the templates (their X3 Setup is for it).
 * Prints one JSON line with the URLs and the emulator's own test credentials, then serves until SIGINT/SIGTERM.
 */

import type {
	GasAnalyticsMode,
	GraphqlSupplierName,
	OverLengthMode,
	X3Personality,
} from './personality';
import { personalityFromEnv } from './personality';
import { X3EmulatorOptions, startX3Emulator } from './server';

const USAGE =
	'Usage: cli.js [--port N] [--host H] [--pool-size N] [--pool-wait-ms N] [--save-ms N] [--other-ms N] ' +
	'[--seed N] [--busy-mode status0|http500] [--soap-style multiRef|inline] [--personality lenient|documented] ' +
	'[--gas-left-list F1,F2,…] [--over-length reject|truncate|truncateWithWarning] ' +
	'[--gas-analytics separateBlock|lineFields] [--soap-json-results true|false] ' +
	'[--graphql-supplier-name companyName|companyName1|both] [--rest-link-origin URL]';

function oneOf<T extends string>(
	flag: string,
	value: string | undefined,
	allowed: readonly T[],
): T {
	if (value === undefined || !(allowed as readonly string[]).includes(value))
		throw new Error(`${flag} expects ${allowed.join(' or ')}`);
	return value as T;
}

function parseArgs(argv: string[], env: Record<string, string | undefined>): X3EmulatorOptions {
	const options: X3EmulatorOptions = {
		port: 0,
		personality: 'documented',
		...personalityFromEnv(env),
	};
	const latency: { saveMs?: number; otherMs?: number } = {};
	const int = (name: string, value: string | undefined): number => {
		if (value === undefined || !/^\d+$/.test(value))
			throw new Error(`${name} expects a non-negative integer`);
		return Number(value);
	};
	for (let i = 0; i < argv.length; i++) {
		const [flag, inline] = argv[i].split('=', 2) as [string, string | undefined];
		const value = () => inline ?? argv[++i];
		switch (flag) {
			case '--port':
				options.port = int(flag, value());
				break;
			case '--host':
				options.host = value();
				break;
			case '--pool-size':
				options.poolSize = Math.max(1, int(flag, value()));
				break;
			case '--pool-wait-ms':
				options.poolWaitMs = int(flag, value());
				break;
			case '--save-ms':
				latency.saveMs = int(flag, value());
				break;
			case '--other-ms':
				latency.otherMs = int(flag, value());
				break;
			case '--seed':
				options.seed = int(flag, value());
				break;
			case '--busy-mode': {
				const mode = value();
				if (mode !== 'status0' && mode !== 'http500')
					throw new Error('--busy-mode expects status0 or http500');
				options.busyMode = mode;
				break;
			}
			case '--soap-style': {
				const style = value();
				if (style !== 'multiRef' && style !== 'inline')
					throw new Error('--soap-style expects multiRef or inline');
				options.soapStyle = style;
				break;
			}
			case '--personality':
				options.personality = oneOf<X3Personality>(flag, value(), ['lenient', 'documented']);
				break;
			case '--gas-left-list': {
				const list = (value() ?? '')
					.split(',')
					.map((name) => name.trim())
					.filter(Boolean);
				if (!list.length)
					throw new Error('--gas-left-list expects field names separated by commas');
				options.gasLeftList = list;
				break;
			}
			case '--over-length':
				options.overLength = oneOf<OverLengthMode>(flag, value(), [
					'reject',
					'truncate',
					'truncateWithWarning',
				]);
				break;
			case '--gas-analytics':
				options.gasAnalytics = oneOf<GasAnalyticsMode>(flag, value(), [
					'separateBlock',
					'lineFields',
				]);
				break;
			case '--soap-json-results':
				options.soapJsonResults = oneOf(flag, value(), ['true', 'false']) === 'true';
				break;
			case '--graphql-supplier-name':
				options.graphqlSupplierName = oneOf<GraphqlSupplierName>(flag, value(), [
					'companyName',
					'companyName1',
					'both',
				]);
				break;
			case '--rest-link-origin':
				options.restLinkOrigin = value();
				break;
			case '--help':
			case '-h':
				process.stdout.write(`${USAGE}\n`);
				process.exit(0);
				break;
			default:
				throw new Error(`Unknown option ${flag}\n${USAGE}`);
		}
	}
	options.latency = latency;
	return options;
}

async function main(): Promise<void> {
	let options: X3EmulatorOptions;
	try {
		options = parseArgs(process.argv.slice(2), process.env);
	} catch (error) {
		process.stderr.write(`${(error as Error).message}\n`);
		process.exit(2);
	}
	let emulator;
	try {
		emulator = await startX3Emulator(options);
	} catch (error) {
		process.stderr.write(`${(error as Error).message}\n`);
		process.exit(2);
	}
	const { config } = emulator;
	process.stdout.write(
		JSON.stringify({
			emulator: 'sage-x3',
			url: emulator.url,
			soapUrl: config.soapUrl,
			wsdlUrl: config.wsdlUrl,
			graphqlUrl: config.graphqlUrl,
			restUrl: config.restUrl,
			ledgerUrl: `${emulator.url}/ledger`,
			user: config.user,
			password: config.password,
			poolAlias: config.poolAlias,
			endpoint: config.endpoint,
			clientId: config.clientId,
			clientSecret: config.clientSecret,
			audience: config.audience,
			tokenMaxLifetimeSeconds: config.tokenMaxLifetimeSeconds,
			poolSize: emulator.settings.poolSize,
			personality: emulator.behaviour.personality,
		}) + '\n',
	);
	let stopping = false;
	const stop = () => {
		if (stopping) return;
		stopping = true;
		emulator.close().then(
			() => process.exit(0),
			() => process.exit(1),
		);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

void main();
