// Every test runs with strict rule contracts: a problem kind without an owner, or a fix from a rule
// not declared fixable, throws instead of being dropped.
import { setStrictRuleContracts } from '../server/src/engine/lint';

setStrictRuleContracts(true);
