/**
 * A message Appwrite would send while answering a request (an email or an SMS), handed to whatever keeps
 * them (an outbox) with the request's changes. It holds what the recipient needs, secret included, so it
 * is never stored in the state or its file; the state keeps only the secret's digest.
 */
export interface OutgoingMessage {
  kind: 'team-invitation';
  /** The recipient's email, '' when invited by phone. */
  email: string;
  /** The recipient's phone, '' when invited by email. */
  phone: string;
  /** `Invitation to <team> Team at <project>` (Appwrite's en.json `emails.invitation.subject`). */
  subject: string;
  /** The app's URL with `membershipId`, `userId`, `secret` and `teamId` merged into its query, as the link in the email. */
  url: string;
  teamId: string;
  membershipId: string;
  userId: string;
  /** The invitation's secret, which `PATCH /teams/{teamId}/memberships/{membershipId}/status` takes. */
  secret: string;
}
