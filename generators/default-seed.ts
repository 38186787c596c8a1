// The run seed when none is given, apart from the seeding itself (seed.ts loads faker): --help prints it.
export const DEFAULT_SEED = 20231;
