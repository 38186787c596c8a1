// Suite: negative. Spec: Table 3 (each type of each field broken alone, null, wrong element type,
// non-object and non-JSON bodies, ids that do not exist), Status code 400 with Table 12.
import { defineSuite } from './engine/session.ts';

defineSuite('negative');
