/**
 * AST nodes of the big types (a step has 22 properties) made with all their properties
 * from the start. Langium makes a node as `{ $type }` and adds each property as the
 * parser meets it, with a keyed store (`node[feature] = value`): past a dozen properties
 * added that way V8 turns the object into a slow dictionary (1.6 KB a step, and every read
 * of a property a hash lookup). Here such a node is a copy of its type's template, every
 * property present from the start (`undefined` until assigned, and assigned as before), so
 * all nodes of a type share one fast layout.
 *
 * Every node is completed once its rule is parsed (`complete`, in place of Langium's
 * assignMandatoryProperties): its arrays sized to their items, and
 * an empty one is one frozen array shared by all: a step has 15 list properties, most of
 * them empty (24 MB of empty arrays in a 50,000-step file). An AST is never changed after
 * parsing, but for the root's lists, which the incremental re-parse splices (reparse.ts):
 * the root keeps arrays of its own.
 *
 * Small types keep Langium's literal (already fast). The properties a node has, once
 * parsed, are Langium's plus, on the big types, optional ones present as `undefined`.
 */
import { DatatypeSymbol, GrammarUtils, LangiumParser, type AstNode, type AstReflection, type CstNode, type LangiumCoreServices } from 'langium';
import { perType } from './per-type.js';
import { createRuleParser } from './parser-rules.js';
import { giveBackArray, takeArray } from './spare-arrays.js';
import { referenceNode } from './cst-folding.js';

/** Types with more properties than this get a template (V8 keeps a dozen keyed additions fast). */
const MIN_PROPERTIES = 10;

type Make = () => Record<string | symbol, unknown>;

/** A maker of fast nodes of `type`, or none when the type is small or unknown. */
export function templateMaker(reflection: AstReflection, type: string): Make | undefined {
    const names = Object.keys(reflection.getTypeMetaData(type).properties);
    if (names.length <= MIN_PROPERTIES) {
        return undefined;
    }
    // JSON.parse builds objects in fast mode; setting an existing property keeps the layout.
    const keys = ['$type', '$cstNode', ...names, '$container', '$containerProperty', '$containerIndex'];
    const template = JSON.parse(JSON.stringify(Object.fromEntries(keys.map((k) => [k, null])))) as Record<string, unknown>;
    for (const key of keys) {
        template[key] = undefined;
    }
    template.$type = type;
    return () => ({ ...template });
}

/** A property with a default (a list or a flag), in the order of the type's metadata. */
interface Default {
    name: string;
    value: unknown;
}

/** The properties of `type` that have a default: the ones Langium's assignMandatoryProperties fills in. */
function defaultsOf(reflection: AstReflection, type: string): Default[] {
    return Object.values(reflection.getTypeMetaData(type).properties)
        .filter((p) => p.defaultValue !== undefined).map((p) => ({ name: p.name, value: p.defaultValue }));
}

/** The one empty list of every node but the root (frozen: a push into it throws instead of reaching every node). */
const NONE: readonly never[] = Object.freeze([]);

/**
 * A parsed node completed as Langium's assignMandatoryProperties completes it (every unset
 * property with a default gets it, in the metadata's order), with its lists sized to their
 * items (a push grows an array to at least 17 places, and most of a node's lists have one
 * to three items) and an empty one the shared `NONE` (but the root's, `shareEmpty` false).
 * Langium's copies every default list twice and walks the metadata with an iterator a node.
 */
function complete(node: Record<string, unknown>, defaults: readonly Default[], shareEmpty: boolean): void {
    for (let i = 0; i < defaults.length; i++) {
        const { name, value } = defaults[i]!;
        const current = node[name];
        if (Array.isArray(current)) {
            if (current.length > 0) {
                node[name] = current.slice();
                giveBackArray(current);
            } else if (shareEmpty) {
                node[name] = NONE;
            }
        } else if (current === undefined) {
            node[name] = !Array.isArray(value) ? value : shareEmpty && value.length === 0 ? NONE : structuredClone(value);
        }
    }
}

interface ParserInternals {
    isRecording(): boolean;
    stack: Array<Record<string | symbol, unknown>>;
    construct(): unknown;
    nodeBuilder: { construct(item: object): void };
    converter: { convert(input: string, cstNode: unknown): unknown };
    constructInfix(obj: object, precedence: unknown): unknown;
    operatorPrecedence: Map<string, unknown>;
    assignWithoutOverride(target: Record<string, unknown>, source: Record<string, unknown>): Record<string, unknown>;
    assign(operator: string, feature: string, value: unknown, cstNode: unknown, crossRef: 'single' | 'multi' | undefined): void;
    current: Record<string, unknown>;
    linker: {
        buildReference(node: unknown, property: string, refNode: unknown, refText: string): unknown;
        buildMultiReference(node: unknown, property: string, refNode: unknown, refText: string): unknown;
    };
}

/**
 * As LangiumParser.assign in Langium 4.2.1, a list started in an array given back by an
 * earlier node's `complete` (spare-arrays.ts), where Langium makes a new one, and a
 * reference over one token made with the token's leaf as its node.
 */
function assign(this: ParserInternals, operator: string, feature: string, value: unknown, cstNode: unknown, crossRef: 'single' | 'multi' | undefined): void {
    const obj = this.current;
    let item = value;
    if (typeof value === 'string' && crossRef !== undefined) {
        // A cross-reference over one token has the token's leaf as its node (cst-folding.ts).
        const refNode = referenceNode(cstNode as CstNode);
        item = crossRef === 'single' ? this.linker.buildReference(obj, feature, refNode, value) : this.linker.buildMultiReference(obj, feature, refNode, value);
    }
    if (operator === '=') {
        obj[feature] = item;
    } else if (operator === '?=') {
        obj[feature] = true;
    } else if (operator === '+=') {
        let list = obj[feature];
        if (!Array.isArray(list)) {
            list = obj[feature] = takeArray();
        }
        (list as unknown[]).push(item);
    }
}

/**
 * As LangiumParser.assignWithoutOverride in Langium 4.2.1 (an unassigned rule call's node
 * takes the place of the rule's own, with what the rule had assigned so far), without an
 * array of entries a call; and the node's shared empty lists become its own again, since it
 * is the rule's node from now on and the rule may add items to them.
 */
function assignWithoutOverride(target: Record<string, unknown>, source: Record<string, unknown>): Record<string, unknown> {
    for (const name in source) {
        const existing = source[name];
        const value = target[name];
        if (value === undefined) {
            target[name] = existing;
        } else if (Array.isArray(value) && Array.isArray(existing)) {
            existing.push(...(value as unknown[]));
            target[name] = existing;
        }
    }
    for (const name in target) {
        if (target[name] === NONE) {
            target[name] = [];
        }
    }
    // Its CST node is replaced by the rule's: no reference to it is left behind.
    const cstNode = target.$cstNode as { astNode?: unknown } | undefined;
    if (cstNode) {
        cstNode.astNode = undefined;
        target.$cstNode = undefined;
    }
    return target;
}

/** Langium's parser (prepareLangiumParser), its rules making big nodes from templates. */
export function prepareShapedParser(services: LangiumCoreServices): LangiumParser {
    const parser = new LangiumParser(services);
    const internals = parser as unknown as ParserInternals;
    const reflection = services.shared.AstReflection;
    const makerOf = perType((type) => templateMaker(reflection, type));
    const defaults = perType((type) => defaultsOf(reflection, type));
    const entry = GrammarUtils.getEntryRule(services.Grammar);
    const rootType = entry ? GrammarUtils.getRuleTypeName(entry) : undefined;
    internals.assignWithoutOverride = assignWithoutOverride;
    internals.assign = assign;
    // As LangiumParser.construct in Langium 4.2.1, completing the node with `complete`.
    internals.construct = function (this: ParserInternals) {
        if (this.isRecording()) {
            return undefined;
        }
        const obj = this.stack.pop()!;
        this.nodeBuilder.construct(obj);
        if ('$infixName' in obj) {
            return this.constructInfix(obj, this.operatorPrecedence.get(obj.$infixName as string));
        }
        if (obj.$type === DatatypeSymbol) {
            return this.converter.convert(obj.value as string, obj.$cstNode);
        }
        const type = obj.$type as string;
        complete(obj as Record<string, unknown>, defaults(type), type !== rootType);
        return obj;
    };
    // As LangiumParser.startImplementation in Langium 4.2.1, but for where the node comes from.
    (parser as unknown as { startImplementation: unknown }).startImplementation = (
        $type: string | symbol | undefined, infixName: string | undefined, implementation: (args: unknown) => void,
    ) => (args: unknown) => {
        const createNode = !internals.isRecording() && $type !== undefined;
        if (createNode) {
            const make = typeof $type === 'string' ? makerOf($type) : undefined;
            const node: Record<string | symbol, unknown> = make ? make() : { $type };
            internals.stack.push(node);
            if ($type === DatatypeSymbol) {
                node.value = '';
            } else if (infixName !== undefined) {
                node.$infixName = infixName;
            }
        }
        implementation(args);
        return createNode ? internals.construct() as AstNode : undefined;
    };
    return createRuleParser(services.Grammar, parser, services.parser.Lexer.definition);
}
