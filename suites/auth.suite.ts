// Suite: auth. Spec: Table 2 (X-Auth-Token, mandatory), Table 1 (project_id), Status codes 401
// (Table 13) and 403 (Table 14).
import { defineSuite } from './engine/session.ts';

defineSuite('auth');
