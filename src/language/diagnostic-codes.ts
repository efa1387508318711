/**
 * The stable diagnostic codes of the kmflow language. Users silence them with
 * `// kmflow-ignore CODE`, code actions find them in a diagnostic's `code`; never rename.
 */
export const Codes = {
    Syntax: 'syntax',
    UnknownTool: 'unknown-tool',
    UnknownCapability: 'unknown-capability',
    UnknownStep: 'unknown-step',
    DuplicateId: 'duplicate-id',
    Cycle: 'cycle',
    UnmetRequires: 'unmet-requires',
    InvalidParam: 'invalid-param',
    MissingDependency: 'missing-dependency',
    SecurityEscalation: 'security-escalation',
    SensitiveData: 'sensitive-data',
    ResourceOvercommit: 'resource-overcommit',
    UnboundServer: 'unbound-server',
    UnknownImport: 'unknown-import',
    UnknownInput: 'unknown-input',
    InvalidValue: 'invalid-value',
    SchemaDrift: 'schema-drift',
    UnverifiedServer: 'unverified-server',
    NoCompensation: 'no-compensation',
    ToolStatus: 'tool-status',
    RepeatedOption: 'repeated-option',
    UnreachableHandler: 'unreachable-handler',
    ServerValue: 'server-value',
    SecretInArgs: 'secret-in-args',
    UnknownWorkflow: 'unknown-workflow',
    InvalidStub: 'invalid-stub',
    MissingCassette: 'missing-cassette',
} as const;

export type DiagnosticCode = (typeof Codes)[keyof typeof Codes];

/** The payload every kmflow diagnostic carries in `data`, for code actions. */
export interface KmflowDiagnosticData {
    code: DiagnosticCode;
    /** For `unknown-tool`: the nearest known names, best first. */
    suggestions?: string[];
    /** For `unknown-step` on a reference: the missing step id. */
    name?: string;
    /** For `tool-status`: the tool to use instead, where there is one. */
    replacedBy?: string;
}
