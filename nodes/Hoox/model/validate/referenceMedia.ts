/** Step 4 of validation: reference media — counts, slots and their order first, then each item's shape. */
import { asList } from '../checks';
import { commonParameter } from '../commonFields';
import { checkReference } from '../references';
import { inputError, slotNames, slotParameter, within, type Given, type Source } from '../source';
import { ModelInputError, type ModelSpec, type ReferenceObject } from '../spec';
import { isEmpty, listWords, quote } from '../values';
import type { Gathered } from './gather';

const NO_LIMIT = Number.MAX_SAFE_INTEGER;

export interface ReferenceMedia {
	references?: ReferenceObject[];
	/** Slot name -> reference, in schema order (then unknown names, for models without a schema). */
	slots: Array<[string, ReferenceObject]>;
}

/** The non-empty items of the References list, each named by its position. */
function referenceItems(references: Given | undefined): Given[] {
	if (!references) return [];
	const { src } = references;
	return asList(references.value, src)
		.map((value, i) => ({ value, src: within(src, `${src.where ? 'item' : 'Item'} ${i + 1}`) }))
		.filter((r) => !isEmpty(r.value));
}

function checkSlotNames(spec: ModelSpec, slots: Map<string, Given>): void {
	for (const [name, item] of slots) {
		if (spec.slots.some((s) => s.name === name)) continue;
		throw inputError(
			item.src,
			`${spec.name} has no input named ${quote(name)}` +
				(spec.slots.length > 0
					? `; its inputs are ${slotNames(spec)}`
					: spec.references
						? '; give reference media under References'
						: ''),
		);
	}
}

function checkReferenceCount(spec: ModelSpec, count: number, src: Source | undefined): void {
	if (!spec.references) return;
	const { min, max } = spec.references;
	if (count >= min && count <= max) return;
	const range =
		min === max
			? `exactly ${min}`
			: max === NO_LIMIT
				? `at least ${min}`
				: min === 0
					? `at most ${max}`
					: `${min} to ${max}`;
	throw inputError(
		src ?? { parameter: commonParameter('references') },
		`${spec.name} needs ${range} reference${min === max && min === 1 ? '' : 's'}; ${count === 0 ? 'none was' : count === 1 ? '1 was' : `${count} were`} given`,
	);
}

/** Required slots must be set (strict); an optional slot needs the slots before it. */
function checkSlotOrder(spec: ModelSpec, slots: Map<string, Given>, strict: boolean): void {
	spec.slots.forEach((slot, index) => {
		const item = slots.get(slot.name);
		if (!item) {
			if (strict && slot.required) {
				throw new ModelInputError(
					slotParameter(spec, slot.name),
					`${slot.displayName} is required by ${spec.name}`,
					slot.description,
				);
			}
			return;
		}
		if (slot.required) return;
		const missing = spec.slots.slice(0, index).filter((s) => !slots.has(s.name));
		if (missing.length > 0) {
			throw inputError(
				item.src,
				`${slot.displayName} also needs ${listWords(
					missing.map((s) => s.displayName),
					'and',
				)}; ${spec.name} takes its inputs in order (${slotNames(spec)})`,
			);
		}
	});
}

/** What the schema says about how many references and which slots (models with a schema only). */
function checkAgainstSchema(
	spec: ModelSpec,
	refItems: Given[],
	gathered: Gathered,
	strict: boolean,
): void {
	const references = gathered.fields.get('references');
	const { slots } = gathered;
	if (refItems.length > 0 && !spec.references) {
		throw inputError(
			references!.src,
			spec.slots.length > 0
				? `${spec.name} takes no References list; set its inputs (${slotNames(spec)}) under Model Parameters`
				: `${spec.name} does not take reference media`,
		);
	}
	checkSlotNames(spec, slots);
	if (refItems.length > 0 && slots.size > 0) {
		throw inputError(
			references!.src,
			`References cannot be combined with named inputs (${slotNames(spec)})`,
		);
	}
	if (strict || refItems.length > 0) checkReferenceCount(spec, refItems.length, references?.src);
	checkSlotOrder(spec, slots, strict);
}

export function checkReferenceMedia(
	spec: ModelSpec,
	gathered: Gathered,
	strict: boolean,
): ReferenceMedia {
	const refItems = referenceItems(gathered.fields.get('references'));
	if (spec.hasSchema) checkAgainstSchema(spec, refItems, gathered, strict);
	const { slots } = gathered;
	const ordered = [
		...spec.slots.map((s) => s.name).filter((n) => slots.has(n)),
		...[...slots.keys()].filter((n) => !spec.slots.some((s) => s.name === n)),
	];
	return {
		references:
			refItems.length > 0 ? refItems.map((r) => checkReference(r.value, r.src)) : undefined,
		slots: ordered.map((name) => {
			const item = slots.get(name)!;
			return [name, checkReference(item.value, item.src)];
		}),
	};
}
