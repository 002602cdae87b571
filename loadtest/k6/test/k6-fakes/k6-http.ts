import { recorder, type FakeResponse, type RecordedRequest } from './recorder.ts';

function request(method: string, url: string, body: unknown, params: RecordedRequest['params'] = {}): FakeResponse {
  const recorded = { method, url, body, params };
  recorder.requests.push(recorded);
  return recorder.respond(recorded);
}

export default {
  request,
  post: (url: string, body: unknown, params?: RecordedRequest['params']) => request('POST', url, body, params),
};
