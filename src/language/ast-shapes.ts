/**
 * AST nodes of the big types (a step has 22 properties) made with all their properties
 * from the start. Langium makes a node as `{ $type }` and adds each property as the
 * parser meets it, with a keyed store (`node[feature] = value`): past a dozen properties
 * added that way V8 turns the object into a slow dictionary (1.6 KB a step, and every read
 * of a property a hash lookup). Here such a node is a copy of its type's template, every
 * property present from the start (`undefined` until assigned, and assigned as before), so
 * all nodes of a type share one fast layout.
 *
 * Every node's arrays are sized to their items once its rule is parsed (`compacted`), and
 * an empty one is one frozen array shared by all: a step has 15 list properties, most of
 * them empty (24 MB of empty arrays in a 50,000-step file). An AST is never changed after
 * parsing, but for the root's lists, which the incremental re-parse splices (reparse.ts):
 * the root keeps arrays of its own.
 *
 * Small types keep Langium's literal (already fast). The properties a node has, once
 * parsed, are Langium's plus, on the big types, optional ones present as `undefined`.
 */
import { DatatypeSymbol, GrammarUtils, LangiumParser, createParser, type AstNode, type AstReflection, type LangiumCoreServices } from 'langium';
import { perType } from './per-type.js';

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

/** The names of the array properties of `type`. */
function arrayProperties(reflection: AstReflection, type: string): string[] {
    return Object.values(reflection.getTypeMetaData(type).properties).filter((p) => Array.isArray(p.defaultValue)).map((p) => p.name);
}

/**
 * A parsed node with its arrays sized to their items (a push grows an array to at least 17
 * places, and most of a node's lists have one to three items). Anything but a node (a
 * datatype rule's value) is returned as it is.
 */
function compacted(result: unknown, arrayNamesOf: (type: string) => readonly string[], rootType: string | undefined): unknown {
    if (typeof result !== 'object' || result === null || typeof (result as AstNode).$type !== 'string') {
        return result;
    }
    const node = result as Record<string, unknown>;
    const shareEmpty = node.$type !== rootType;
    for (const name of arrayNamesOf(node.$type as string)) {
        const items = node[name];
        if (Array.isArray(items)) {
            if (items.length > 0) {
                node[name] = items.slice();
            } else if (shareEmpty) {
                node[name] = NONE;
            }
        }
    }
    return result;
}

/** The one empty list of every node but the root (frozen: a push into it throws instead of reaching every node). */
const NONE: readonly never[] = Object.freeze([]);

interface ParserInternals {
    isRecording(): boolean;
    stack: object[];
    construct(): unknown;
}

/** Langium's parser (prepareLangiumParser), its rules making big nodes from templates. */
export function prepareShapedParser(services: LangiumCoreServices): LangiumParser {
    const parser = new LangiumParser(services);
    const internals = parser as unknown as ParserInternals;
    const reflection = services.shared.AstReflection;
    const makerOf = perType((type) => templateMaker(reflection, type));
    const arrayNamesOf = perType((type) => arrayProperties(reflection, type));
    const entry = GrammarUtils.getEntryRule(services.Grammar);
    const rootType = entry ? GrammarUtils.getRuleTypeName(entry) : undefined;
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
        return createNode ? compacted(internals.construct(), arrayNamesOf, rootType) as AstNode : undefined;
    };
    return createParser(services.Grammar, parser, services.parser.Lexer.definition);
}
