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
  general_not_implemented: {
    code: 405,
    description: 'This method was not fully implemented yet. If you believe this is a mistake, please upgrade your Appwrite server version.',
  },
  user_unauthorized: { code: 401, description: 'The current user is not authorized to perform the requested action.' },
  storage_invalid_content_range: { code: 400, description: 'The content range is invalid. Please check the value of the Content-Range header.' },
  storage_file_not_found: { code: 404, description: 'The requested file could not be found.' },
  // Used by the stateful fallback (src/state).
  general_cursor_not_found: { code: 400, description: 'The cursor is invalid. This can happen if the item represented by the cursor has been deleted.' },
  database_not_found: { code: 404, description: 'Database not found' },
  database_already_exists: { code: 409, description: 'Database already exists' },
  collection_not_found: { code: 404, description: 'Collection with the requested ID could not be found.' },
  collection_already_exists: {
    code: 409,
    description: 'A collection with the requested ID already exists. Try again with a different ID or use ID.unique() to generate a unique ID.',
  },
  attribute_not_found: { code: 404, description: 'Attribute with the requested ID could not be found.' },
  attribute_already_exists: {
    code: 409,
    description: 'Attribute with the requested key already exists. Attribute keys must be unique, try again with a different key.',
  },
  attribute_default_unsupported: { code: 400, description: 'Default values cannot be set for array or required attributes.' },
  attribute_type_invalid: { code: 400, description: 'The attribute type is invalid.' },
  attribute_limit_exceeded: { code: 400, description: 'The maximum number of attributes has been reached.' },
  attribute_value_invalid: { code: 400, description: 'The attribute value is invalid. Please check the type, range and value of the attribute.' },
  attribute_unknown: {
    code: 400,
    description: 'The attribute required for the index could not be found. Please confirm all your attributes are in the available state.',
  },
  index_not_found: { code: 404, description: 'Index with the requested ID could not be found.' },
  index_already_exists: { code: 409, description: 'Index with the requested key already exists. Try again with a different key.' },
  index_invalid: { code: 400, description: 'Index invalid.' },
  index_limit_exceeded: { code: 400, description: 'The maximum number of indexes has been reached.' },
  document_not_found: { code: 404, description: 'Document with the requested ID could not be found.' },
  document_delete_restricted: { code: 403, description: 'Document cannot be deleted because it is referenced by another document.' },
  document_already_exists: {
    code: 409,
    description: 'Document with the requested ID already exists. Try again with a different ID or use ID.unique() to generate a unique ID.',
  },
  document_invalid_structure: { code: 400, description: 'The document structure is invalid. Please ensure the attributes match the collection definition.' },
  user_not_found: { code: 404, description: 'User with the requested ID could not be found.' },
  user_already_exists: { code: 409, description: 'A user with the same id, email, or phone already exists in this project.' },
  user_email_already_exists: { code: 409, description: 'A user with the same email already exists in the current project.' },
  user_phone_already_exists: { code: 409, description: 'A user with the same phone number already exists in the current project.' },
  user_session_not_found: { code: 404, description: 'The current user session could not be found.' },
  user_target_not_found: { code: 404, description: 'The target could not be found.' },
  user_target_already_exists: { code: 409, description: 'A target with the same ID already exists.' },
  user_identity_not_found: { code: 404, description: 'The identity could not be found. Please sign in with OAuth provider to create identity first.' },
  user_invalid_token: { code: 401, description: 'Invalid token passed in the request.' },
  team_not_found: { code: 404, description: 'Team with the requested ID could not be found.' },
  team_already_exists: { code: 409, description: 'Team with requested ID already exists. Please choose a different ID and try again.' },
  team_invite_already_exists: { code: 409, description: 'User has already been invited or is already a member of this team' },
  membership_already_confirmed: { code: 409, description: 'Membership is already confirmed.' },
  team_invite_mismatch: { code: 401, description: 'The invite does not belong to the current user.' },
  membership_not_found: { code: 404, description: 'Membership with the requested ID could not be found.' },
  team_invite_not_found: { code: 404, description: 'The requested team invitation could not be found.' },
  team_membership_mismatch: { code: 404, description: 'The membership ID does not belong to the team ID.' },
  team_invalid_secret: { code: 401, description: 'The team invitation secret is invalid. Please request  a new invitation and try again.' },
  storage_bucket_not_found: { code: 404, description: 'Storage bucket with the requested ID could not be found.' },
  storage_bucket_already_exists: {
    code: 409,
    description: 'A storage bucket with the requested ID already exists. Try again with a different ID or use ID.unique() to generate a unique ID.',
  },
  storage_file_already_exists: { code: 409, description: 'A storage file with the requested ID already exists.' },
  storage_file_empty: { code: 400, description: 'Empty file passed to the endpoint.' },
  storage_invalid_file_size: {
    code: 400,
    description:
      'The file size is either not valid or exceeds the maximum allowed size. Please check the file or the value of the _APP_STORAGE_LIMIT environment variable.',
  },
  storage_file_type_unsupported: { code: 400, description: 'The given file extension is not supported.' },
  storage_invalid_appwrite_id: {
    code: 400,
    description: 'The value for x-appwrite-id header is invalid. Please check the value of the x-appwrite-id header is a valid id and not unique().',
  },
  function_not_found: { code: 404, description: 'Function with the requested ID could not be found.' },
  deployment_not_found: { code: 404, description: 'Deployment with the requested ID could not be found.' },
  execution_not_found: { code: 404, description: 'Execution with the requested ID could not be found.' },
  variable_not_found: { code: 404, description: 'Variable with the requested ID could not be found.' },
  variable_already_exists: { code: 409, description: 'Variable with the same ID already exists in this project. Try again with a different ID.' },
  provider_not_found: { code: 404, description: 'Provider with the requested ID could not be found.' },
  provider_already_exists: { code: 409, description: 'Provider with the requested ID already exists.' },
  topic_not_found: { code: 404, description: 'Topic with the request ID could not be found.' },
  topic_already_exists: { code: 409, description: 'Topic with the request ID already exists.' },
  subscriber_not_found: { code: 404, description: 'Subscriber with the request ID could not be found.' },
  subscriber_already_exists: { code: 409, description: 'Subscriber with the request ID already exists.' },
  message_not_found: { code: 404, description: 'Message with the requested ID could not be found.' },
  message_missing_target: { code: 400, description: 'Message with the requested ID has no recipients (topics or users or targets).' },
  message_target_not_email: { code: 400, description: 'Message with the target ID is not an email target.' },
  message_target_not_sms: { code: 400, description: 'Message with the target ID is not an SMS target.' },
  message_target_not_push: { code: 400, description: 'Message with the target ID is not a push target.' },
  document_missing_data: { code: 400, description: 'The document data is missing. Try again with document data populated' },
  document_missing_payload: {
    code: 400,
    description: 'The document data and permissions are missing. You must provide either document data or permissions to be updated.',
  },
  user_blocked: {
    code: 401,
    description:
      'The current user has been blocked. You can unblock the user by making a request to the User API\'s "Update User Status" endpoint or in the Appwrite Console\'s Auth section.',
  },
  user_invalid_credentials: { code: 401, description: 'Invalid credentials. Please check the email and password.' },
  user_jwt_invalid: {
    code: 401,
    description: 'The JWT token is invalid. Please check the value of the X-Appwrite-JWT header to ensure the correct token is being used.',
  },
  health_queue_size_exceeded: { code: 503, description: 'Queue size threshold hit.' },
  provider_incorrect_type: { code: 400, description: 'Provider with the requested ID is of the incorrect type.' },
  provider_missing_credentials: { code: 400, description: 'Provider with the requested ID is missing credentials.' },
  user_key_and_session_set: {
    code: 403,
    description:
      'API key and session used in the same request. Use either `setSession` or `setKey`. Learn about which authentication method to use in the SSR docs: https://appwrite.io/docs/products/auth/server-side-rendering',
  },
  user_password_mismatch: { code: 400, description: 'Passwords do not match. Please check the password and confirm password.' },
  user_more_factors_required: { code: 401, description: 'More factors are required to complete the sign in process.' },
  user_challenge_required: {
    code: 401,
    description: 'A recently succeessful challenge is required to complete this action. A challenge is considered recent for 5 minutes.',
  },
  user_invalid_code: { code: 401, description: 'The specified code is not valid. Contact your administrator for more information.' },
  general_unknown_origin: {
    code: 403,
    description: 'The request originated from an unknown origin. If you trust this domain, please list it as a trusted platform in the Appwrite console.',
  },
  user_recovery_codes_already_exists: {
    code: 409,
    description: 'The current user already generated recovery codes and they can only be read once for security reasons.',
  },
  user_authenticator_not_found: { code: 404, description: 'Authenticator could not be found on the current user.' },
  user_authenticator_already_verified: { code: 409, description: 'This authenticator is already verified on the current user.' },
  user_recovery_codes_not_found: { code: 404, description: 'Recovery codes could not be found on the current user.' },
  user_phone_not_found: { code: 400, description: 'The current user does not have a phone number associated with their account.' },
  user_session_already_exists: { code: 401, description: 'Creation of a session is prohibited when a session is active.' },
  user_email_already_verified: { code: 409, description: 'User email is already verified' },
  user_phone_already_verified: { code: 409, description: 'User phone is already verified' },
  user_oauth2_provider_error: { code: 424, description: 'OAuth2 provider returned some error.' },
} as const satisfies Record<string, { code: number; description: string }>;

export type AppwriteErrorType = keyof typeof APPWRITE_ERRORS;

/**
 * Types Appwrite 1.5.0 throws that its error table lacks (src/Appwrite/Extend/Exception.php:87-90, not in
 * app/config/errors.php): the exception gets code 0, which the error handler answers as 500 `Server Error`
 * with the type kept (app/controllers/general.php:714-731 at 1.5.0).
 */
export type UnlistedErrorType = 'user_email_not_found' | 'user_email_not_verified' | 'user_phone_not_verified';

/** The body a real Appwrite sends with every error: `code` is the HTTP status as an integer. */
export interface AppwriteErrorBody {
  message: string;
  code: number;
  type: string;
  version: string;
}
