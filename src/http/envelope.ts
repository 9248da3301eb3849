// The two answers of API 3.0, both with HTTP 200 and a RequestId:
//   {"Response": {...output, "RequestId": "…"}}  and  {"Response": {"Error": {"Code", "Message"}, "RequestId": "…"}}
export function successBody(output: object, requestId: string): string {
  return JSON.stringify({ Response: { ...output, RequestId: requestId } });
}

export function errorBody(code: string, message: string, requestId: string): string {
  return JSON.stringify({ Response: { Error: { Code: code, Message: message }, RequestId: requestId } });
}
