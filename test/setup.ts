// Every test runs with strict rule contracts: a problem kind without an owner, or a fix from a rule
// not declared fixable, throws instead of being dropped. Set through a global so that this file
// loads no project module (a test's vi.mock must still be able to replace any of them).
(globalThis as { kbxStrictRuleContracts?: boolean }).kbxStrictRuleContracts = true;
