/**
 * The two ways a search is paged (RFC 2696): on ldapts' message layer (fast
 * path) or through its public searchPaginated() (fallback when a future
 * ldapts lacks the internals; kept proven by test/integration/source/paging-paths).
 */
import {
  type Client,
  type Control,
  type Filter,
  MessageResponseStatus,
  PagedResultsControl,
  SearchRequest as LdaptsSearchRequest,
  type SearchResponse,
  StatusCodeParser,
} from 'ldapts';
import type { SearchRequest } from './directory.js';
import { caseInsensitive, fromLdaptsObject, fromSearchEntry, type RawEntry } from './ldap-entry.js';

/** What a paged search sends, prepared by search(). */
export interface PageQuery {
  base: string;
  scope: SearchRequest['scope'];
  filter: Filter;
  attributes: string[];
  /** lower-cased names of attributes read as bytes */
  binary: ReadonlySet<string>;
}

/** What paging needs from the connection that owns it. */
export interface PagingContext {
  pageSize: number;
  /** server-side time limit, seconds */
  timeLimit: number;
  /** throws when the connection is no longer bound (never page on a silent reconnect) */
  assertBound: () => void;
  /** counts a page received */
  onPage: () => void;
  /** after a page failed: resolves true to ask for the same page once more (busy/unavailable) */
  retryBusy?: (err: unknown) => Promise<boolean>;
}

/**
 * The two members of ldapts' Client that paging on its message layer needs.
 * They are private in its typings (ldapts 8.2), so they are looked up at run
 * time; a client without them is paged through the public searchPaginated().
 */
export interface ClientInternals {
  _nextMessageId(): number;
  _send(message: LdaptsSearchRequest): Promise<SearchResponse | undefined>;
}

export function internalsOf(client: Client): ClientInternals | null {
  const c = client as unknown as Partial<ClientInternals>;
  if (typeof c._send !== 'function' || typeof c._nextMessageId !== 'function') return null;
  return { _nextMessageId: () => c._nextMessageId!.call(client), _send: (m) => c._send!.call(client, m) };
}

/**
 * Paged search on ldapts' message layer. ldapts' own searchPaginated()
 * converts every entry of a page with toObject() (which adds an empty array
 * for each requested attribute an entry lacks: ~90 per Exchange entry)
 * before it asks for the next page, so the DC waits for that conversion on
 * every page. Here the request for page N+1 leaves as soon as page N's
 * result arrives, and entries are read straight from ldapts' parsed
 * attributes. Same request bytes, same controls, same result-code errors
 * (StatusCodeParser) as searchPaginated().
 */
export async function* ownPages(internals: ClientInternals, p: PagingContext, q: PageQuery, controls: Control[]): AsyncGenerator<RawEntry[]> {
  const paged = new PagedResultsControl({ value: { size: p.pageSize } });
  const message = new LdaptsSearchRequest({
    messageId: -1,
    baseDN: q.base,
    scope: q.scope,
    filter: q.filter,
    attributes: q.attributes,
    sizeLimit: 0,
    timeLimit: p.timeLimit,
    controls: [...controls, paged],
  });
  const send = (): Promise<SearchResponse | undefined> => {
    p.assertBound();
    message.messageId = internals._nextMessageId();
    // _send encodes the message synchronously: the cookie can change for the next page right after
    const response = internals._send(message);
    response.catch(() => undefined); // awaited below; not "unhandled" while the previous page is converted
    return response;
  };
  let pending: Promise<SearchResponse | undefined> | null = send();
  let retried = false;
  try {
    while (pending) {
      const response: SearchResponse | undefined = await pending;
      pending = null;
      if (response?.status !== MessageResponseStatus.Success) {
        const err = StatusCodeParser.parse(response);
        if (!retried && p.retryBusy && (await p.retryBusy(err))) {
          retried = true;
          pending = send(); // the cookie is still the one of the page that failed
          continue;
        }
        throw err;
      }
      retried = false;
      p.onPage();
      const cookie = response.controls?.find((c): c is PagedResultsControl => c instanceof PagedResultsControl)?.value?.cookie;
      if (cookie && cookie.length > 0) {
        paged.value = { size: p.pageSize, cookie };
        pending = send();
      }
      yield response.searchEntries.map((e) => fromSearchEntry(e, q.binary));
    }
  } finally {
    // abandoned with a page request in flight: let its answer arrive, so that
    // nothing of this search is still on the wire when the next one starts
    if (pending) await pending.catch(() => undefined);
  }
}

/** Public-API fallback (ldapts without the message layer used above): searchPaginated, next page asked before this one is converted. */
export async function* ldaptsPages(client: Client, p: PagingContext, q: PageQuery, controls: Control[]): AsyncGenerator<RawEntry[]> {
  const iterator = client
    .searchPaginated(
      q.base,
      {
        scope: q.scope,
        filter: q.filter,
        attributes: q.attributes,
        explicitBufferAttributes: caseInsensitive([...q.binary]),
        paged: { pageSize: p.pageSize },
        timeLimit: p.timeLimit,
        sizeLimit: 0,
      },
      controls,
    )
    [Symbol.asyncIterator]();
  const fetchPage = () => {
    const page = iterator.next();
    page.catch(() => undefined); // awaited below; not "unhandled" while the previous page is converted
    return page;
  };
  try {
    let pending = fetchPage();
    for (;;) {
      const next = await pending;
      if (next.done) return;
      p.onPage();
      // ask for page N+1 before converting page N: the DC computes the next page
      // while we convert this one, instead of both sides taking turns
      pending = fetchPage();
      yield next.value.searchEntries.map(fromLdaptsObject);
    }
  } finally {
    await iterator.return?.(undefined).catch(() => undefined);
  }
}
