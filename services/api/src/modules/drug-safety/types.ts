/**
 * Types of the drug-safety knowledge base (KB) and of the pure screening engine built on it.
 * The KB is loaded once (load-kb.ts) into the indexed, read-only shape below; every engine function takes it as an
 * argument and does no I/O.
 */

export type Severity = 'contraindicated' | 'major' | 'moderate' | 'minor' | 'info';
export type TermType = 'IN' | 'PIN' | 'MIN' | 'SCDC' | 'SCD' | 'SBD' | 'GPCK' | 'BPCK' | 'BN';
export type DeaSchedule = 'II' | 'III' | 'IV' | 'V';

/** A resolvable RxNorm concept: ingredient, component, clinical/branded drug, pack or brand name. */
export interface Concept {
  readonly rxcui: string;
  readonly name: string;
  readonly tty: TermType;
  /** IN-level ingredient rxcuis (sorted). */
  readonly ingredients: readonly string[];
  readonly doseForm?: string;
  readonly brand?: string;
  /** Components of the product name that could not be mapped to an ingredient (screening is partial). */
  readonly unmapped?: readonly string[];
  /** True when the dose form acts locally (ophthalmic, otic, topical ...): excluded from systemic interaction rules. */
  readonly local: boolean;
}

export interface IngredientInfo {
  readonly rxcui: string;
  readonly name: string;
  /** Class ids from classes.json (therapeutic and pharmacologic). */
  readonly classes: readonly string[];
  readonly deaSchedule?: DeaSchedule;
  readonly combinationSchedule?: {
    readonly default: DeaSchedule;
    readonly liquid?: DeaSchedule;
    readonly note?: string;
  };
  /** Rule-selector keys this ingredient satisfies: `i:<rxcui>` and `c:<classId>`. */
  readonly keys: readonly string[];
  /** Allergy class ids whose members include this ingredient. */
  readonly allergyClasses: readonly string[];
}

export interface DrugClass {
  readonly id: string;
  readonly name: string;
  readonly kind: 'therapeutic' | 'pharmacologic';
  readonly duplicateSeverity?: Severity;
  readonly source: string;
}

export interface RuleSelector {
  readonly classes?: readonly string[];
  readonly ingredients?: readonly { readonly rxcui: string; readonly name: string }[];
}

export interface RuleModifier {
  readonly when: { readonly egfrBelow?: number; readonly ageAtLeast?: number; readonly potassiumAbove?: number };
  readonly severity?: Exclude<Severity, 'info'>;
  readonly note: string;
}

export interface InteractionRule {
  readonly id: string;
  readonly a: RuleSelector;
  readonly b: RuleSelector;
  readonly severity: Exclude<Severity, 'info'>;
  readonly mechanism: string;
  readonly effect: string;
  readonly management: string;
  readonly source: string;
  readonly licence?: string;
  readonly oncClass?: number;
  readonly interruptive?: boolean;
  readonly distinctIngredients?: boolean;
  readonly supersedes?: readonly string[];
  readonly modifiers?: readonly RuleModifier[];
  /**
   * Where a generated rule comes from (absent: hand-curated in interactions.json). For one ingredient pair a curated
   * rule wins over generated ones unless a generated rule is strictly more severe and the curated grade is not an
   * explicit non-interruptive one; among generated rules the most severe wins.
   */
  readonly origin?: 'ndf-rt' | 'label' | 'family';
}

export interface CrossSensitivity {
  readonly classId: string;
  readonly severity: Exclude<Severity, 'info'>;
  readonly note: string;
}

export interface AllergyClass {
  readonly id: string;
  readonly name: string;
  readonly members: readonly { readonly rxcui: string; readonly name: string }[];
  readonly synonyms: readonly string[];
  readonly snomed?: readonly { readonly code: string; readonly display: string; readonly source: string }[];
  readonly crossSensitivity?: readonly CrossSensitivity[];
  readonly note?: string;
  readonly source: string;
}

/** What a coded or free-text allergy stands for. */
export interface AllergenProfile {
  readonly ingredients: ReadonlySet<string>;
  readonly classes: ReadonlySet<string>;
  /** Human label of the allergen ("Penicillins", "amoxicillin" ...). */
  readonly label: string;
}

export interface SearchEntry {
  readonly rxcui: string;
  readonly name: string;
  readonly lower: string;
  readonly tty: TermType;
  readonly brand?: string;
  readonly tokens: readonly string[];
}

export interface DrugKnowledgeBase {
  readonly meta: {
    readonly release: string;
    readonly generatedAt: string;
    readonly source: string;
    readonly licence: string;
    readonly counts: Readonly<Record<string, number>>;
  };
  readonly concepts: ReadonlyMap<string, Concept>;
  readonly ndc: ReadonlyMap<string, string>;
  readonly ingredients: ReadonlyMap<string, IngredientInfo>;
  readonly classes: ReadonlyMap<string, DrugClass>;
  readonly rules: readonly InteractionRule[];
  readonly rulesById: ReadonlyMap<string, InteractionRule>;
  /** selector key -> rule sides mentioning it; `other` is the set of keys the partner ingredient must have. */
  readonly rulesByKey: ReadonlyMap<
    string,
    readonly { readonly rule: InteractionRule; readonly side: 'a' | 'b'; readonly other: ReadonlySet<string> }[]
  >;
  /** `x|y` (ingredient rxcuis) -> rules naming both ingredients directly (ingredient-only rules, indexed by pair). */
  readonly rulesByPair: ReadonlyMap<string, readonly PairMatch[]>;
  /** Drug-condition rules (renal function, potassium, problem list), from patient-rules.json. */
  readonly patientRules: readonly PatientRule[];
  readonly allergyClasses: ReadonlyMap<string, AllergyClass>;
  readonly snomedAllergens: ReadonlyMap<string, AllergenProfile>;
  readonly snomedNoKnownAllergy: ReadonlySet<string>;
  readonly snomedNonSpecific: ReadonlySet<string>;
  /** lower-case free text (class names, synonyms, ingredient and brand names) -> allergen */
  readonly textAllergens: ReadonlyMap<string, AllergenProfile>;
  readonly search: {
    readonly entries: readonly SearchEntry[];
    /** sorted distinct tokens and, in parallel, the entry indexes containing each token */
    readonly tokens: readonly string[];
    readonly postings: readonly (readonly number[])[];
  };
  /** Memo of ingredient-pair rule matches (a pure function of the KB). */
  readonly pairCache: Map<string, readonly PairMatch[]>;
}

export interface PairMatch {
  readonly rule: InteractionRule;
  /** true when the first ingredient satisfied side a */ readonly firstIsA: boolean;
}

// ---- engine input -----------------------------------------------------------------------------------------

export interface Coding {
  readonly system?: string;
  readonly code?: string;
  readonly display?: string;
}

/** A medication reference: a single code (+system) or a CodeableConcept-like list of codings. */
export interface MedRef {
  /** Caller's id (e.g. MedicationRequest id), echoed in findings. */
  readonly id?: string;
  readonly code?: string;
  readonly system?: string;
  readonly display?: string;
  readonly codings?: readonly Coding[];
}

export type AllergyCriticality = 'high' | 'low' | 'unable-to-assess';
export type AllergyVerification = 'confirmed' | 'unconfirmed' | 'presumed' | 'refuted' | 'entered-in-error';

export interface AllergyRef {
  readonly id?: string;
  readonly codings?: readonly Coding[];
  readonly text?: string;
  readonly criticality?: AllergyCriticality;
  readonly verificationStatus?: AllergyVerification;
  readonly clinicalStatus?: 'active' | 'inactive' | 'resolved';
}

export interface PatientContext {
  readonly ageYears?: number;
  readonly sex?: string;
  readonly weightKg?: number;
  /** mL/min/1.73m² (measured, or CKD-EPI 2021 from creatinine) */
  readonly egfr?: number;
  /** serum/plasma potassium, mmol/L */
  readonly potassium?: number;
  /** Condition flags from the problem list (see conditionFlagsOf): 'ckd', 'heart-failure', 'asthma' ... */
  readonly conditions?: readonly ConditionFlag[];
}

export type ConditionFlag = 'ckd' | 'heart-failure' | 'asthma';

/** A drug-condition rule: drugs (classes/ingredients) that are a problem for a patient with a lab value or condition. */
export interface PatientRule {
  readonly id: string;
  readonly drugs: RuleSelector;
  readonly basis: 'renal-function' | 'potassium' | 'condition';
  /** Fires when eGFR < egfrBelow, potassium > potassiumAbove, or a listed condition flag is present. */
  readonly when: { readonly egfrBelow?: number; readonly potassiumAbove?: number; readonly condition?: ConditionFlag };
  readonly severity: Exclude<Severity, 'info'>;
  readonly effect: string;
  readonly management: string;
  readonly source: string;
  /** Also applies to locally acting forms (e.g. timolol eye drops in asthma). */
  readonly includeLocal?: boolean;
}

export interface SafetyCheckInput {
  readonly proposed: readonly MedRef[];
  readonly active?: readonly MedRef[];
  readonly allergies?: readonly AllergyRef[];
  readonly patient?: PatientContext;
}

// ---- engine output ----------------------------------------------------------------------------------------

export type MedRole = 'proposed' | 'active';

export interface DrugRef {
  readonly ref?: string;
  readonly role: MedRole;
  readonly system: 'rxnorm' | 'ndc' | 'unknown';
  readonly code: string;
  readonly display: string;
  /** RxNorm concept the code resolved to (for NDCs: the product). */
  readonly rxcui?: string;
}

export interface NamedCode {
  readonly rxcui: string;
  readonly name: string;
}

interface FindingBase {
  /** Stable id: the same input yields the same ids. */
  readonly id: string;
  readonly severity: Severity;
  /** Human-readable explanation. */
  readonly message: string;
}

export interface DrugDrugFinding extends FindingBase {
  readonly kind: 'drug-drug';
  readonly ruleId: string;
  readonly drugs: readonly [DrugRef, DrugRef];
  readonly ingredients: readonly [NamedCode, NamedCode];
  readonly mechanism: string;
  readonly effect: string;
  readonly management: string;
  readonly source: string;
  readonly interruptive: boolean;
  readonly oncClass?: number;
  readonly notes?: readonly string[];
}

export interface DrugAllergyFinding extends FindingBase {
  readonly kind: 'drug-allergy';
  readonly drug: DrugRef;
  readonly allergy: {
    readonly ref?: string;
    readonly display: string;
    readonly codes: readonly Coding[];
    readonly criticality?: AllergyCriticality;
    readonly verificationStatus?: AllergyVerification;
  };
  readonly matchType: 'ingredient' | 'class' | 'cross-sensitivity';
  readonly certainty: 'confirmed' | 'unconfirmed';
  readonly ingredient: NamedCode;
  readonly allergyClass?: { readonly id: string; readonly name: string };
  readonly note?: string;
  readonly source?: string;
}

export interface DuplicateTherapyFinding extends FindingBase {
  readonly kind: 'duplicate-therapy';
  readonly drugs: readonly [DrugRef, DrugRef];
  readonly basis: 'ingredient' | 'therapeutic-class';
  readonly ingredients?: readonly NamedCode[];
  readonly classes?: readonly { readonly id: string; readonly name: string }[];
}

export interface ControlledSubstanceFinding extends FindingBase {
  readonly kind: 'controlled-substance';
  readonly drug: DrugRef;
  readonly schedule: DeaSchedule;
  readonly ingredients: readonly NamedCode[];
}

/** A drug that is a problem for this patient: renal function, potassium, or a condition on the problem list. */
export interface DrugConditionFinding extends FindingBase {
  readonly kind: 'drug-condition';
  readonly ruleId: string;
  readonly drug: DrugRef;
  readonly ingredient: NamedCode;
  readonly reason: PatientRule['basis'];
  /** What in the chart triggered it ("eGFR 24 mL/min/1.73m²", "potassium 6.8 mmol/L", "heart failure"). */
  readonly evidence: string;
  readonly effect: string;
  readonly management: string;
  readonly source: string;
}

export interface UnableToScreenFinding extends FindingBase {
  readonly kind: 'unable-to-screen';
  readonly subject: 'medication' | 'allergy';
  readonly reason:
    | 'no-code'
    | 'unknown-code'
    | 'unsupported-system'
    | 'partial-ingredients'
    | 'unmapped-allergy'
    | 'non-specific-allergy';
  readonly drug?: DrugRef;
  readonly allergy?: { readonly ref?: string; readonly display: string; readonly codes: readonly Coding[] };
  readonly unmapped?: readonly string[];
}

export type Finding =
  | DrugDrugFinding
  | DrugAllergyFinding
  | DuplicateTherapyFinding
  | DrugConditionFinding
  | ControlledSubstanceFinding
  | UnableToScreenFinding;

export type ResolveResult =
  | {
      readonly status: 'resolved';
      readonly system: 'rxnorm' | 'ndc';
      readonly code: string;
      readonly concept: Concept;
      readonly ingredients: readonly NamedCode[];
      readonly partial: boolean;
    }
  | {
      readonly status: 'unresolved';
      readonly system: 'rxnorm' | 'ndc' | 'unknown';
      readonly code: string;
      readonly reason: 'no-code' | 'unknown-code' | 'unsupported-system';
    };
