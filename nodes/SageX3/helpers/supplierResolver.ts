import { SharedPromises } from '../../common/sharedPromises';
import { foldName, pickSupplierByName, supplierSearchTerm } from '../../ledger/supplierMatch';
import type { SupplierPick } from '../../ledger/supplierMatch';
import type { X3Gateway, X3Supplier, X3SupplierDraft } from '../transport/gateway.types';

/**
 * Supplier lookups for one execution, cached so each distinct vendor costs at most one X3 search (vendors that
 * share a search word share the search) and each supplier is created at most once. Promises are cached, so
 * concurrent items for the same vendor wait for the same call.
 */
export class SupplierResolver {
	// A failed search, lookup or creation is not kept (SharedPromises): the next item may try again.
	private readonly searches = new SharedPromises<string, X3Supplier[]>();

	private readonly byCode = new SharedPromises<string, X3Supplier | null>();

	private readonly creations = new SharedPromises<string, X3Supplier>();

	private readonly queues = new Map<string, Promise<unknown>>();

	constructor(
		private readonly gateway: X3Gateway,
		private readonly searchLimit = 50,
	) {}

	async findByName(vendorName: string): Promise<SupplierPick<X3Supplier>> {
		const term = supplierSearchTerm(vendorName);
		const search = this.searches.get(foldName(term), () =>
			this.gateway.searchSuppliers({ name: term, limit: this.searchLimit }),
		);
		const creation = this.creations.peek(foldName(vendorName));
		// A failed creation was reported on the item that attempted it; here it simply adds no candidate.
		const created = creation
			? await creation.then(
					(supplier) => [supplier],
					() => [],
				)
			: [];
		return pickSupplierByName(vendorName, [...(await search), ...created]);
	}

	async getByCode(code: string): Promise<X3Supplier | null> {
		return await this.byCode.get(code, () => this.gateway.getSupplier(code));
	}

	/** Runs tasks with the same key one after another (in call order); other keys are not held up. */
	async oneAtATime<T>(key: string, task: () => Promise<T>): Promise<T> {
		const previous = this.queues.get(key) ?? Promise.resolve();
		const run = previous.then(task, task);
		this.queues.set(
			key,
			run.then(
				() => undefined,
				() => undefined,
			),
		);
		return await run;
	}

	/** Creates the supplier for a vendor once per execution, whatever the number of items naming it. */
	async create(vendorName: string, draft: X3SupplierDraft): Promise<X3Supplier> {
		return await this.creations.get(foldName(vendorName), () => this.gateway.createSupplier(draft));
	}
}
