// Suite: robustness. Spec: Status Codes (no 5xx, documented codes only) for valid-but-large,
// unicode, unknown-field, empty and duplicate inputs and for garbage bodies (policies 3 and 6).
import { defineSuite } from './engine/session.ts';

defineSuite('robustness');
