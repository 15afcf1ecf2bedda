import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { type DocumentNode, GraphQLError, type ParseOptions, type ValidationContext, type ValidationRule } from 'graphql';
import type { ErrorCode, QueryLimit } from '../../lib/errors/catalog';
import { codedError } from '../../lib/errors/codedError';
import type { GatewayContext } from '../context';
import { countSelections, selectionLimitRule } from './selectionLimit';

/**
 * How large one operation may be. Measured as GraphQL Armor measures, with fragments
 * flattened (`... on Person` selects no deeper data, so it adds no depth and no cost).
 *
 * The defaults are sized on the graph's documented operations (DESIGN.md, test/e2e):
 * - the full case dossier (case -> debtors -> shareholdings -> company -> shareholdings ->
 *   company -> bankAccounts -> bank -> code, every asset field of every agency) is depth 9,
 *   cost ~2,100, ~160 selections, ~490 tokens, no alias or directive;
 * - a full docket page (`cases(first: 100)`, the court subgraph's page cap) with every case
 *   field and the parties' names is depth 5, cost ~14,600;
 * - a bulk sweep `persons(idNumbers: [...1000 literals])` is ~1,050 tokens.
 */
export interface QueryLimitsOptions {
  /**
   * Deepest field nesting. 10 admits every documented walk with one level to spare
   * (a case's debtor's subsidiaries' subsidiaries' bank accounts); it refuses the
   * amplifying cycles the graph allows (company -> shareholders -> holder -> shareholdings
   * -> company -> ...), where each level multiplies calls to the commerce registry.
   * @default 10
   */
  maxDepth?: number;
  /**
   * Armor's cost (object 2, scalar 1, x1.5 per level, x`first` on paginated lists). 20,000
   * admits the full docket page (~14,600) and the dossier (~2,100); it refuses a docket page
   * that walks every debtor's assets, and deep walks that are wide at every level.
   * @default 20000
   */
  maxCost?: number;
  /**
   * Selections in the document as written (`countSelections`: every field, `__typename` and
   * repeats included, every fragment), the cost limit's second measure: Armor's cost weighs
   * what execution fetches, where 3,000 `__typename` weigh little, but graphql-js's validation
   * compares like-named fields of a selection set pairwise: 3,000 `__typename` cost it ~90 ms
   * of CPU, 3,000 `name` over a second. Counted before any other rule walks the document;
   * refused as `COST`. 500 is three times the full dossier (~160); 500 like-named fields
   * take validation ~30 ms, a small operation's whole request ~10 ms.
   * @default 500
   */
  maxSelections?: number;
  /**
   * Limits of a request without a verified caller (no token, or one that was refused), which
   * on the court graph can reach only `__typename` and introspection: every other field needs
   * a token. Refused as `COST`, with a message that says a token is missing. 150 selections
   * admit the introspection Apollo Sandbox sends (~80). `false`: held to the court limits, for a
   * supergraph without access rules, where every caller is anonymous.
   * @default { maxSelections: 150 }
   */
  anonymous?: { maxSelections?: number } | false;
  /**
   * Aliased fields per operation. Aliases are how one request multiplies agency calls
   * (`a1: person(...) a2: person(...) ...`); bulk lookups have `persons`/`companies`, which
   * batch. 10 leaves room for side-by-side views (two debtors, several docket filters).
   * @default 10
   */
  maxAliases?: number;
  /**
   * Lexical tokens in the document, counted by graphql-js's parser as it parses, so an
   * oversized document is abandoned early. 3,000 is six times the full dossier and admits a
   * 1,000-person sweep written as literals.
   * @default 3000
   */
  maxTokens?: number;
  /**
   * Directives per operation (`@include`/`@skip`). 20 is generous for conditional fields and
   * stops directive-flooding documents before the other rules walk them.
   * @default 20
   */
  maxDirectives?: number;
}

export const QUERY_LIMITS_DEFAULTS = {
  maxDepth: 10,
  maxCost: 20_000,
  maxSelections: 500,
  maxAliases: 10,
  maxTokens: 3_000,
  maxDirectives: 20,
  anonymous: { maxSelections: 150 },
} as const satisfies Required<QueryLimitsOptions>;

/** Which limit refused an operation: `extensions.limit` of the error. */
export type { QueryLimit };

/**
 * The code of every limit refusal. Apollo Server reports every validation-rule error as
 * GRAPHQL_VALIDATION_FAILED (HTTP 400), whatever code the rule set, so armor's BAD_USER_INPUT
 * never reaches a client anyway; BAD_USER_INPUT stays reserved here for refused argument values
 * (`inputErrors.ts`). The token limit, hit while parsing, is given the same code.
 */
export const QUERY_LIMIT_CODE = 'GRAPHQL_VALIDATION_FAILED' satisfies ErrorCode;

/** One sentence per limit, naming what to change and never the configured numbers. */
export const QUERY_LIMIT_MESSAGES: Record<QueryLimit, string> = {
  DEPTH: 'The operation nests its fields too deeply; split the walk into several operations.',
  COST: 'The operation asks for too much at once; select fewer fields, ask for smaller pages, or split it.',
  ALIASES: 'The operation uses too many aliases; look up many persons or companies with `persons` or `companies` instead.',
  TOKENS: 'The operation document is too long; pass values as variables or split it into several operations.',
  DIRECTIVES: 'The operation uses too many directives.',
};

/** The `COST` refusal of a request without a verified caller that a court could send. */
export const ANONYMOUS_COST_MESSAGE =
  'The operation asks for too much for a request without a valid token; send the token ("Authorization: Bearer <token>") or select fewer fields.';

/** What Apollo Server needs: spread it into the `ApolloServer` options (see `queryLimits`). */
export interface QueryLimitsConfig {
  validationRules: ValidationRule[];
  parseOptions: ParseOptions;
  plugins: ApolloServerPlugin<GatewayContext>[];
  /** Apollo Server 5 refuses HTTP batches by default; stated so no one turns them on unawares. */
  allowBatchedHttpRequests: false;
}

/**
 * The selection count (first of all rules), GraphQL Armor's depth, cost, alias and directive
 * rules, graphql-js's token limit, and a plugin that hides schema suggestions and holds a
 * request without a verified caller (`contextValue.caller`, set before parsing) to the
 * anonymous limits. Wire it in with
 * `const limits = queryLimits(); new ApolloServer({ ...limits, plugins: [...limits.plugins, ...] })`.
 *
 * Armor's own token plugin and suggestion masker are not used: the token plugin throws from
 * `parsingDidStart`, which Apollo Server 5 turns into a 500 that skips every other plugin's
 * `willSendResponse` (the audit would miss the refusal), and the masker leaves `[Suggestion
 * hidden]?` in the message.
 */
export function queryLimits(options: QueryLimitsOptions = {}): QueryLimitsConfig {
  const o = withDefaults(options);
  // Validation rules see only the document: the plugin marks the documents of requests
  // without a caller as they go to validation (each parse makes a new document object).
  const anonymous = new WeakSet<DocumentNode>();
  const tooMany = (document: DocumentNode, isAnonymous: boolean): GraphQLError | undefined => {
    const selections = countSelections(document, o.maxSelections);
    if (selections > o.maxSelections) return limitError('COST');
    if (isAnonymous && o.anonymous && selections > o.anonymous.maxSelections) return limitError('COST', ANONYMOUS_COST_MESSAGE);
    return undefined;
  };
  const refuse = (limit: QueryLimit): { propagateOnRejection: false; exposeLimits: false; onReject: ((context: ValidationContext | null) => void)[] } => ({
    propagateOnRejection: false,
    exposeLimits: false,
    onReject: [(context) => context?.reportError(limitError(limit))],
  });
  const { validationRules } = new ApolloArmor({
    maxDepth: { n: o.maxDepth, flattenFragments: true, ignoreIntrospection: true, ...refuse('DEPTH') },
    costLimit: { maxCost: o.maxCost, flattenFragments: true, ignoreIntrospection: true, ...refuse('COST') },
    maxAliases: { n: o.maxAliases, ...refuse('ALIASES') },
    maxDirectives: { n: o.maxDirectives, ...refuse('DIRECTIVES') },
    maxTokens: { enabled: false },
    blockFieldSuggestion: { enabled: false },
  }).protect();
  return {
    validationRules: [selectionLimitRule((document) => tooMany(document, anonymous.has(document))), ...validationRules],
    parseOptions: { maxTokens: o.maxTokens },
    plugins: [limitErrorsPlugin(), anonymousLimitsPlugin(anonymous, o.anonymous ? (document) => tooMany(document, true) : undefined)],
    allowBatchedHttpRequests: false,
  };
}

function limitError(limit: QueryLimit, message = QUERY_LIMIT_MESSAGES[limit]): GraphQLError {
  return codedError(QUERY_LIMIT_CODE, message, { limit });
}

/**
 * Marks the document of a request without a caller before it is validated, for the selection
 * rule. Apollo Server validates a document text once and keeps it: a text a court has sent is
 * not validated again for an anonymous request, so the count is made here for it instead.
 */
function anonymousLimitsPlugin(
  anonymous: WeakSet<DocumentNode>,
  refusalOf: ((document: DocumentNode) => GraphQLError | undefined) | undefined,
): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      let validated = false;
      return {
        async validationDidStart({ document, contextValue }) {
          validated = true;
          if (contextValue.caller === undefined) anonymous.add(document);
        },
        async didResolveOperation({ document, contextValue }) {
          if (validated || refusalOf === undefined || contextValue.caller !== undefined) return;
          const refusal = refusalOf(document);
          if (refusal) {
            refusal.extensions.http = { status: 400 };
            throw refusal;
          }
        },
      };
    },
  };
}

/** graphql-js's wording (it says "more that" in 16.x). */
const TOKEN_LIMIT = /^Syntax Error: Document contains more th[a-z]+ \d+ tokens\. Parsing aborted\.$/;
/** graphql-js's `didYouMean`: ` Did you mean "a", "b", or "c"?` / ` Did you mean the enum value "A"?`. */
const SUGGESTION = / ?Did you mean [^?]*\?/g;

/**
 * Rewrites errors before they are formatted: suggestions (which name fields and enum values a
 * client did not ask about) are removed from every error, and the parser's token-limit error,
 * which states the limit, becomes a limit refusal like the others.
 */
function limitErrorsPlugin(): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors }) {
          for (const error of errors) {
            if (TOKEN_LIMIT.test(error.message)) {
              error.message = QUERY_LIMIT_MESSAGES.TOKENS;
              error.extensions.code = QUERY_LIMIT_CODE;
              error.extensions.limit = 'TOKENS';
              // Where parsing stopped would let a client count its way to the limit.
              Object.defineProperty(error, 'locations', { value: undefined });
            } else if (error.message.includes('Did you mean')) {
              error.message = error.message.replace(SUGGESTION, '');
            }
          }
        },
      };
    },
  };
}

interface Limits extends Required<Omit<QueryLimitsOptions, 'anonymous'>> {
  anonymous: { maxSelections: number } | false;
}

function withDefaults(options: QueryLimitsOptions): Limits {
  const d = QUERY_LIMITS_DEFAULTS;
  return {
    maxDepth: options.maxDepth ?? d.maxDepth,
    maxCost: options.maxCost ?? d.maxCost,
    maxSelections: options.maxSelections ?? d.maxSelections,
    anonymous: options.anonymous === false ? false : { maxSelections: options.anonymous?.maxSelections ?? d.anonymous.maxSelections },
    maxAliases: options.maxAliases ?? d.maxAliases,
    maxTokens: options.maxTokens ?? d.maxTokens,
    maxDirectives: options.maxDirectives ?? d.maxDirectives,
  };
}
