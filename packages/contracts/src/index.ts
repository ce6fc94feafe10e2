/**
 * The wire contract between the API and the web app, in one place: what a role may do, and the shape of what
 * each route accepts and answers. The API validates with these schemas and publishes them in its OpenAPI
 * document; the web app imports the inferred types instead of copying them. Only zod here: no I/O, no node APIs.
 */
export * from './roles';
export * from './auth';
export * from './fhir';
export * from './codes';
export * from './users';
export * from './access';
export * from './audit';
export * from './smart';
export * from './patients';
export * from './chart';
export * from './documentation';
export * from './drug-safety';
export * from './medications';
export * from './orders';
export * from './results';
export * from './eprescribing';
export * from './pharmacy';
export * from './cds-hooks';
export * from './eligibility';
export * from './schedule';
export * from './cds-hooks-cards';
export * from './inbasket';
export * from './nursing';
export * from './imaging';
export * from './portal';
export * from './appointments';
export * from './proxy';
export * from './portal-accounts';
