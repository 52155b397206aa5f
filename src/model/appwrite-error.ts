/**
 * The error types appwrite-vcr answers with, as Appwrite 1.5.0 defines them
 * (app/config/errors.php): HTTP status and the description the server sends as `message`
 * when nothing more specific applies. A test checks these against Appwrite's table.
 */
export const APPWRITE_ERRORS = {
  general_argument_invalid: { code: 400, description: 'The request contains one or more invalid arguments. Please refer to the endpoint documentation.' },
  general_bad_request: { code: 400, description: 'There was an error processing your request. Please check the inputs and try again.' },
  general_query_invalid: { code: 400, description: "The query's syntax is invalid. Please check the query and try again." },
  general_route_not_found: { code: 404, description: 'The requested route was not found. Please refer to the API docs and try again.' },
  general_unauthorized_scope: { code: 401, description: 'The current user or API key does not have the required scopes to access the requested resource.' },
  general_access_forbidden: { code: 401, description: 'Access to this API is forbidden.' },
  general_server_error: { code: 500, description: 'An internal server error occurred.' },
  general_unknown: { code: 500, description: 'An unknown error has occured. Please check the logs for more information.' },
  general_not_implemented: { code: 405, description: 'This method was not fully implemented yet. If you believe this is a mistake, please upgrade your Appwrite server version.' },
  user_unauthorized: { code: 401, description: 'The current user is not authorized to perform the requested action.' },
  storage_invalid_content_range: { code: 400, description: 'The content range is invalid. Please check the value of the Content-Range header.' },
  storage_file_not_found: { code: 404, description: 'The requested file could not be found.' },
} as const satisfies Record<string, { code: number; description: string }>;

export type AppwriteErrorType = keyof typeof APPWRITE_ERRORS;

/** The body a real Appwrite sends with every error: `code` is the HTTP status as an integer. */
export interface AppwriteErrorBody {
  message: string;
  code: number;
  type: string;
  version: string;
}
