// One seed per case, derived from the run seed and the case id, so adding a case never shifts others.

import { createHash } from 'node:crypto';
// The English locale's own entry point: importing '@faker-js/faker' would evaluate every locale (~0.25 s).
import { faker } from '@faker-js/faker/locale/en';
import type { Faker } from '@faker-js/faker';

export { DEFAULT_SEED } from './default-seed.ts';

export function caseSeed(runSeed: number, caseId: string): number {
  return createHash('sha256').update(`${runSeed}:${caseId}`).digest().readUInt32BE(0);
}

/** The shared faker, reseeded for one case: the same (run seed, case id) gives the same values. */
export function fakerFor(seed: number): Faker {
  faker.seed(seed);
  return faker;
}

export type { Faker };

/** A well-formed id (32 lower-case hex digits, as the page's ids are) that no target holds: seeded by a label. */
export function idThatDoesNotExist(seed: number, label: string): string {
  return fakerFor(caseSeed(seed, label)).string.hexadecimal({ length: 32, casing: 'lower', prefix: '' });
}
