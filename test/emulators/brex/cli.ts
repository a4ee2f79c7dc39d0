/**
 * Runs the Brex emulator on its own:
 *   node build/test/emulators/brex/cli.js --port 0 [--seed 42] [--expenses 500] [--vendors 40] [--latency-ms 0]
 * Prints one JSON line {url, port, token, oauthClientId, oauthClientSecret, ...} on stdout, then serves until
 * SIGINT/SIGTERM.
 */
import { startBrexEmulator, type BrexEmulatorOptions } from './server';

const USAGE =
	'Usage: cli.js [--port N] [--host 127.0.0.1] [--seed N] [--expenses N] [--vendors N] [--latency-ms N] ' +
	'[--start-date ISO] [--end-date ISO] [--token T]...';

function parseArgs(argv: string[]): BrexEmulatorOptions {
	const options: BrexEmulatorOptions = {};
	const tokens: string[] = [];
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		const [flag, inline] = arg.includes('=')
			? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
			: [arg, undefined];
		const value = () => {
			const v = inline ?? argv[++i];
			if (v === undefined) throw new Error(`${flag} needs a value`);
			return v;
		};
		const integer = () => {
			const v = value();
			if (!/^\d+$/.test(v)) throw new Error(`${flag} needs a non-negative integer, got "${v}"`);
			return Number(v);
		};
		switch (flag) {
			case '--port':
				options.port = integer();
				break;
			case '--host':
				options.host = value();
				break;
			case '--seed':
				options.seed = integer();
				break;
			case '--expenses':
				options.expenseCount = integer();
				break;
			case '--vendors':
				options.vendorCount = integer();
				break;
			case '--latency-ms':
				options.latencyMs = integer();
				break;
			case '--start-date':
				options.startDate = value();
				break;
			case '--end-date':
				options.endDate = value();
				break;
			case '--token':
				tokens.push(value());
				break;
			case '--help':
			case '-h':
				process.stdout.write(`${USAGE}\n`);
				process.exit(0);
				break;
			default:
				throw new Error(`Unknown argument "${arg}". ${USAGE}`);
		}
	}
	if (tokens.length > 0) options.tokens = tokens;
	return options;
}

async function main(): Promise<void> {
	const options = parseArgs(process.argv.slice(2));
	const emulator = await startBrexEmulator(options);
	process.stdout.write(
		`${JSON.stringify({
			emulator: 'brex',
			url: emulator.url,
			port: emulator.port,
			token: emulator.token,
			oauthClientId: emulator.oauthClient.clientId,
			oauthClientSecret: emulator.oauthClient.clientSecret,
			expenses: emulator.state.expenses.size,
			webhookSecret: emulator.state.webhookSecrets[0]?.secret ?? null,
		})}\n`,
	);
	let stopping = false;
	const stop = (signal: string) => {
		if (stopping) return;
		stopping = true;
		process.stderr.write(`brex emulator: ${signal}, stopping\n`);
		emulator.close().then(
			() => process.exit(0),
			() => process.exit(1),
		);
	};
	process.on('SIGINT', () => stop('SIGINT'));
	process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
	process.stderr.write(
		`brex emulator: ${error instanceof Error ? error.message : String(error)}\n`,
	);
	process.exit(1);
});
