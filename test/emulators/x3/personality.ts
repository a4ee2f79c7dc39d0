/**
 * Personalities: how strictly one emulator instance reads the sources where X3 behaviour is not pinned down.
 * `lenient` is the emulator as it always was (publications built from the client's layout, criteria on any
 * field, English messages); `documented` is the strictest reading of the reference files (fixed publications,
 * left-list-only query answers, criteria outside the left list ignored, messages in the session language, GAS
 * keyed by TYP + NUM, field lengths enforced). Each knob can also be set on its own. Sources: README.md here.
 */

export type X3Personality = 'documented' | 'lenient';

/**
 * What a Char value longer than its field does: `truncateWithWarning` cuts it and says so (type-2 message),
 * `truncate` cuts it silently, `reject` refuses the call (status 0). X3's own behaviour is not in the sources.
 */
export type OverLengthMode = 'truncateWithWarning' | 'truncate' | 'reject';

/** Where GAS analytics go in the documented publication: a table block of their own, or CCE1..n on each line. */
export type GasAnalyticsMode = 'separateBlock' | 'lineFields';

/** Name of the supplier's company name on GraphQL: Sage's reference page (`companyName`), or `companyName1`. */
export type GraphqlSupplierName = 'companyName' | 'companyName1' | 'both';

/** Standard GAS left list of the documented publication (entry type, number, site, journal, date, label) [I]. */
export const GAS_LEFT_LIST_STANDARD: readonly string[] = [
	'TYP',
	'NUM',
	'FCY',
	'JOU',
	'ACCDAT',
	'DESVCR',
];
/** The same left list after a customer added the header trace field BPRVCR in the object dictionary [I]. */
export const GAS_LEFT_LIST_WITH_TRACE: readonly string[] = [...GAS_LEFT_LIST_STANDARD, 'BPRVCR'];
/** Supplier left list: code, name (index BPS1), category [I]. */
export const BPS_LEFT_LIST: readonly string[] = ['BPSNUM', 'BPSNAM', 'BSGCOD'];
/** Account left list [I]. */
export const GAC_LEFT_LIST: readonly string[] = ['COA', 'ACC', 'DES', 'DESSHO'];
/** Dimension left list [I]. */
export const CCE_LEFT_LIST: readonly string[] = ['DIE', 'CCE', 'DES'];

export interface PersonalityOptions {
	/** `lenient` (default) or `documented`; the knobs below override single behaviours of either. */
	personality?: X3Personality;
	/** GAS query left list (documented only): the fields a query returns and may filter on. */
	gasLeftList?: readonly string[];
	overLength?: OverLengthMode;
	/** Where GAS analytics live in the documented publication; default `separateBlock`. */
	gasAnalytics?: GasAnalyticsMode;
	/** False: `adxwss.optreturn=JSON` is ignored and every resultXml is XML. Default true. */
	soapJsonResults?: boolean;
	/** Supplier name property on GraphQL; default `both` (lenient) / `companyName` (documented). */
	graphqlSupplierName?: GraphqlSupplierName;
	/**
	 * Origin (`https://x3.example.com:8443`) that REST `$url`/`$next`/`$previous`/`$last` links carry instead of
	 * the emulator's own, as behind a reverse proxy that rewrites hosts. Default: the emulator's origin.
	 */
	restLinkOrigin?: string;
	/** Public names of the documented publications (GESAWE names are free); default YGAS, YBPS, YGAC, YCCE. */
	publicNames?: Partial<Record<'journalEntry' | 'supplier' | 'account' | 'dimension', string>>;
}

/** The resolved behaviour of one emulator instance. */
export interface Behaviour {
	personality: X3Personality;
	/** Publications fixed from the sources (true) or built from the client's layout (false). */
	fixedPublications: boolean;
	/** Left list by publication kind; null = every field of the first block (lenient). */
	leftLists: {
		journalEntry: readonly string[];
		supplier: readonly string[];
		account: readonly string[];
		dimension: readonly string[];
	} | null;
	/** Criteria on fields outside the left list: refused with an error (lenient) or silently ignored (documented). */
	criteriaOutsideLeftList: 'error' | 'ignore';
	/** Translate messages to callContext.codeLang. */
	localizedMessages: boolean;
	/** GAS read/modify/delete need TYP as well as NUM. */
	gasKeyNeedsType: boolean;
	overLength: OverLengthMode;
	gasAnalytics: GasAnalyticsMode;
	soapJsonResults: boolean;
	graphqlSupplierName: GraphqlSupplierName;
	restLinkOrigin: string | null;
	publicNames: Record<'journalEntry' | 'supplier' | 'account' | 'dimension', string>;
}

export function resolveBehaviour(options: PersonalityOptions = {}): Behaviour {
	const personality = options.personality ?? 'lenient';
	const documented = personality === 'documented';
	if (options.restLinkOrigin !== undefined) {
		const parsed = new URL(options.restLinkOrigin);
		if (parsed.pathname !== '/' || parsed.search)
			throw new Error(
				`restLinkOrigin must be an origin (scheme://host[:port]), got ${options.restLinkOrigin}`,
			);
	}
	return {
		personality,
		fixedPublications: documented,
		leftLists: documented
			? {
					journalEntry: options.gasLeftList ?? GAS_LEFT_LIST_STANDARD,
					supplier: BPS_LEFT_LIST,
					account: GAC_LEFT_LIST,
					dimension: CCE_LEFT_LIST,
				}
			: null,
		criteriaOutsideLeftList: documented ? 'ignore' : 'error',
		localizedMessages: documented,
		gasKeyNeedsType: documented,
		overLength: options.overLength ?? (documented ? 'reject' : 'truncateWithWarning'),
		gasAnalytics: options.gasAnalytics ?? 'separateBlock',
		soapJsonResults: options.soapJsonResults ?? true,
		graphqlSupplierName: options.graphqlSupplierName ?? (documented ? 'companyName' : 'both'),
		restLinkOrigin: options.restLinkOrigin ? new URL(options.restLinkOrigin).origin : null,
		publicNames: {
			journalEntry: options.publicNames?.journalEntry ?? 'YGAS',
			supplier: options.publicNames?.supplier ?? 'YBPS',
			account: options.publicNames?.account ?? 'YGAC',
			dimension: options.publicNames?.dimension ?? 'YCCE',
		},
	};
}

/**
 * Personality options from the environment, for launchers (cli.ts, a sandbox): X3_EMULATOR_PERSONALITY
 * (`lenient` | `documented`) and X3_EMULATOR_GAS_LEFT_LIST (field names separated by commas). Throws on a value
 * it does not know, so a typo does not silently start the wrong personality.
 */
export function personalityFromEnv(env: Record<string, string | undefined>): PersonalityOptions {
	const options: PersonalityOptions = {};
	const personality = env.X3_EMULATOR_PERSONALITY?.trim();
	if (personality) {
		if (personality !== 'lenient' && personality !== 'documented')
			throw new Error(`X3_EMULATOR_PERSONALITY expects lenient or documented, got ${personality}`);
		options.personality = personality;
	}
	const leftList = env.X3_EMULATOR_GAS_LEFT_LIST?.split(',')
		.map((name) => name.trim())
		.filter(Boolean);
	if (leftList?.length) options.gasLeftList = leftList;
	return options;
}
