import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { GraphQLError, type ParseOptions, type ValidationContext, type ValidationRule } from 'graphql';

/**
 * How large one operation may be. Measured as GraphQL Armor measures, with fragments
 * flattened (`... on Person` selects no deeper data, so it adds no depth and no cost).
 *
 * The defaults are sized on the graph's documented operations (DESIGN.md, test/e2e):
 * - the full case dossier (case -> debtors -> shareholdings -> company -> shareholdings ->
 *   company -> bankAccounts -> bank -> code, every asset field of every agency) is depth 9,
 *   cost ~2,100, ~490 tokens, no alias or directive;
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

export const QUERY_LIMITS_DEFAULTS: Required<QueryLimitsOptions> = {
  maxDepth: 10,
  maxCost: 20_000,
  maxAliases: 10,
  maxTokens: 3_000,
  maxDirectives: 20,
};

/** Which limit refused an operation: `extensions.limit` of the error. */
export type QueryLimit = 'DEPTH' | 'COST' | 'ALIASES' | 'TOKENS' | 'DIRECTIVES';

/**
 * The code of every limit refusal. Apollo Server reports every validation-rule error as
 * GRAPHQL_VALIDATION_FAILED (HTTP 400), whatever code the rule set, so armor's BAD_USER_INPUT
 * never reaches a client anyway; BAD_USER_INPUT stays reserved here for refused argument values
 * (`inputErrors.ts`). The token limit, hit while parsing, is given the same code.
 */
export const QUERY_LIMIT_CODE = 'GRAPHQL_VALIDATION_FAILED';

/** One sentence per limit, naming what to change and never the configured numbers. */
export const QUERY_LIMIT_MESSAGES: Record<QueryLimit, string> = {
  DEPTH: 'The operation nests its fields too deeply; split the walk into several operations.',
  COST: 'The operation asks for too much at once; select fewer fields, ask for smaller pages, or split it.',
  ALIASES: 'The operation uses too many aliases; look up many persons or companies with `persons` or `companies` instead.',
  TOKENS: 'The operation document is too long; pass values as variables or split it into several operations.',
  DIRECTIVES: 'The operation uses too many directives.',
};

/** What Apollo Server needs: spread it into the `ApolloServer` options (see `queryLimits`). */
export interface QueryLimitsConfig {
  validationRules: ValidationRule[];
  parseOptions: ParseOptions;
  plugins: ApolloServerPlugin<BaseContext>[];
  /** Apollo Server 5 refuses HTTP batches by default; stated so no one turns them on unawares. */
  allowBatchedHttpRequests: false;
}

/**
 * GraphQL Armor's depth, cost, alias and directive rules, graphql-js's token limit, and a
 * plugin that hides schema suggestions. Wire it in with
 * `const limits = queryLimits(); new ApolloServer({ ...limits, plugins: [...limits.plugins, ...] })`.
 *
 * Armor's own token plugin and suggestion masker are not used: the token plugin throws from
 * `parsingDidStart`, which Apollo Server 5 turns into a 500 that skips every other plugin's
 * `willSendResponse` (the audit would miss the refusal), and the masker leaves `[Suggestion
 * hidden]?` in the message.
 */
export function queryLimits(options: QueryLimitsOptions = {}): QueryLimitsConfig {
  const o = withDefaults(options);
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
    validationRules,
    parseOptions: { maxTokens: o.maxTokens },
    plugins: [limitErrorsPlugin()],
    allowBatchedHttpRequests: false,
  };
}

function limitError(limit: QueryLimit): GraphQLError {
  return new GraphQLError(QUERY_LIMIT_MESSAGES[limit], { extensions: { code: QUERY_LIMIT_CODE, limit } });
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

function withDefaults(options: QueryLimitsOptions): Required<QueryLimitsOptions> {
  const d = QUERY_LIMITS_DEFAULTS;
  return {
    maxDepth: options.maxDepth ?? d.maxDepth,
    maxCost: options.maxCost ?? d.maxCost,
    maxAliases: options.maxAliases ?? d.maxAliases,
    maxTokens: options.maxTokens ?? d.maxTokens,
    maxDirectives: options.maxDirectives ?? d.maxDirectives,
  };
}
