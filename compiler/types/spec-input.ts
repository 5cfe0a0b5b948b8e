/**
 * A spec file as written, after the JSON Schema check (compiler/schema).
 * Bundles keep their keys as written (nested or dotted); matrix axes are not
 * yet classified. Normalisation turns this into an ExperimentStudy.
 */

export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** Settings keyed by nested objects or dotted paths (`model.arch`). */
export type BundleInput = { readonly [key: string]: JsonValue };

export interface VariantInput {
  readonly name: string;
  readonly set?: BundleInput;
}

export interface IncludeInput {
  readonly name: string;
  readonly set: BundleInput;
}

export interface SearchInput {
  readonly method?: 'grid' | 'random' | 'tpe';
  readonly samples?: number;
  readonly seed?: number;
  /** tpe: how many of the samples are seeded random draws before the model proposes (default min(10, samples)). */
  readonly startup?: number;
  /** tpe: candidates drawn from l(x) per proposal (default 24). */
  readonly candidates?: number;
}

export interface EarlyTerminationInput {
  readonly type: 'asha';
  readonly metric?: 'val_accuracy' | 'val_loss';
  readonly min_epochs?: number;
  readonly reduction_factor?: number;
}

export interface ExperimentInput {
  readonly title?: string;
  readonly description?: string;
  readonly defaults?: BundleInput;
  readonly matrix?: { readonly [key: string]: JsonValue };
  readonly include?: readonly IncludeInput[];
  readonly exclude?: readonly { readonly [key: string]: JsonValue }[];
  readonly repeats?: number;
  readonly search?: SearchInput;
  readonly early_termination?: EarlyTerminationInput;
}

export interface SpecInput {
  readonly version: 1;
  readonly name?: string;
  readonly description?: string;
  readonly extends?: string;
  readonly data?: BundleInput;
  readonly defaults?: BundleInput;
  readonly experiments?: { readonly [name: string]: ExperimentInput };
}
