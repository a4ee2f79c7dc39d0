import { foldName, pickSupplierByName, supplierSearchTerm } from '../../shared/supplierMatch';
import type { SupplierPick } from '../../shared/supplierMatch';
import type { X3Gateway, X3Supplier, X3SupplierDraft } from '../transport/gateway.types';

/**
 * Supplier lookups for one execution, cached so each distinct vendor costs at most one X3 search (vendors that
 * share a search word share the search) and each supplier is created at most once. Promises are cached, so
 * concurrent items for the same vendor wait for the same call.
 */
export class SupplierResolver {
	private readonly searches = new Map<string, Promise<X3Supplier[]>>();

	private readonly byCode = new Map<string, Promise<X3Supplier | null>>();

	private readonly creations = new Map<string, Promise<X3Supplier>>();

	private readonly queues = new Map<string, Promise<unknown>>();

	constructor(
		private readonly gateway: X3Gateway,
		private readonly searchLimit = 50,
	) {}

	async findByName(vendorName: string): Promise<SupplierPick<X3Supplier>> {
		const term = supplierSearchTerm(vendorName);
		const key = foldName(term);
		let search = this.searches.get(key);
		if (!search) {
			search = this.gateway.searchSuppliers({ name: term, limit: this.searchLimit });
			this.searches.set(key, search);
			// A failed search is not cached: the next item may try again.
			search.catch(() => this.searches.delete(key));
		}
		const creation = this.creations.get(foldName(vendorName));
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
		let lookup = this.byCode.get(code);
		if (!lookup) {
			lookup = this.gateway.getSupplier(code);
			this.byCode.set(code, lookup);
			lookup.catch(() => this.byCode.delete(code));
		}
		return await lookup;
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
		const key = foldName(vendorName);
		let creation = this.creations.get(key);
		if (!creation) {
			creation = this.gateway.createSupplier(draft);
			this.creations.set(key, creation);
			creation.catch(() => this.creations.delete(key));
		}
		return await creation;
	}
}
