/** One HTTP request to a processor, fully built: what the transport sends. */
export interface OutboundRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** A processor's HTTP answer as received (body as text, at most the transport's size cap). */
export interface InboundResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}
