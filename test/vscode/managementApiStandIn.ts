// The Management API stand-in lives in scripts/lib (plain JavaScript, so that npm start can run it too); the suites
// import it from here.
export {
  ManagementApiStandIn,
  reply,
  type Answer,
  type RecordedRequest,
} from '../../scripts/lib/managementApiStandIn.mjs';
