// Suite: positive. Spec: Table 3 (request body, every optional field present/absent, force_sync
// true/false), Status code 201 with Tables 4-11, the Function text (sync semantics, inference).
import { defineSuite } from './engine/session.ts';

defineSuite('positive');
