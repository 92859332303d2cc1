//! Every route of DTE, with the permission it needs: the table of contents of the API and the
//! pages. A route is added here or nowhere.

use crate::{AppState, api, assets, auth, guard, pages};
use axum::Router;
use axum::http::{HeaderName, HeaderValue, Request, header};
use axum::routing::{MethodRouter, delete, get, post, put};
use dte_domain::Role;
use dte_domain::access::Action;
use std::time::Duration;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
use tower_http::request_id::{
    MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

/// Who may use a route: anyone, or the roles `dte_domain::access::grant` admits for the
/// route's action. The record's facts are checked where the record is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Anyone, signed in or not: the catalogs, public verification, health checks, assets.
    Public,
    /// Signed-in accounts of the roles some record would allow this action.
    Action(Action),
    /// A form that does one of these actions, chosen in its body: the roles of any of them.
    AnyOf(&'static [Action]),
}

impl Permission {
    /// Whether a caller of this role (`None`: not signed in) may use the route.
    pub fn allows(self, role: Option<Role>) -> bool {
        match (self, role) {
            (Permission::Public, _) => true,
            (_, None) => false,
            (Permission::Action(action), Some(role)) => action.admits(role),
            (Permission::AnyOf(actions), Some(role)) => {
                actions.iter().any(|action| action.admits(role))
            }
        }
    }
}

/// The page form that runs a class: submit, start or finish, chosen in the form.
const CLASS_RUNNING: &[Action] = &[Action::SubmitClass, Action::StartClass, Action::FinishClass];
/// The page form that decides on a class: approve, reject or close, chosen in the form.
const CLASS_DECISIONS: &[Action] = &[
    Action::ApproveClass,
    Action::RejectClass,
    Action::CloseClass,
];

/// The page form that takes a claim one step, chosen in the form: the institution's and the
/// city's steps.
const CLAIM_STEPS: &[Action] = &[
    Action::FileClaim,
    Action::ReviewClaim,
    Action::ApproveClaim,
    Action::ResolveObjection,
    Action::RecordPayment,
    Action::ManageClawbacks,
];

/// One route of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RouteInfo {
    pub method: &'static str,
    pub path: &'static str,
    pub permission: Permission,
}

/// The table: method, path, permission, handler. One line per route, so it reads as a
/// table of contents.
#[rustfmt::skip]
fn table() -> Vec<(RouteInfo, MethodRouter<AppState>)> {
    use Permission::{Action, AnyOf, Public};
    use dte_domain::access::Action::*;
    let route = |method, path, permission, handler| (RouteInfo { method, path, permission }, handler);
    vec![
        // Health.
        route("GET", "/healthz", Public, get(api::health::healthz)),
        route("GET", "/readyz", Public, get(api::health::readyz)),
        // API: catalogs and public verification.
        route("GET", "/api/v1/occupations", Public, get(api::catalog::occupations)),
        route("GET", "/api/v1/regions", Public, get(api::catalog::regions)),
        route("GET", "/api/v1/institutions", Public, get(api::catalog::institutions)),
        route("GET", "/api/v1/settings", Public, get(api::catalog::settings)),
        route("GET", "/api/v1/certificates/{number}", Public, get(api::certificates::verify)),
        route("GET", "/.well-known/dte-certificate-keys.json", Public, get(api::certificates::keys)),
        route("GET", "/api/v1/certificates", Action(ListCertificates), get(api::certificates::list)),
        route("GET", "/api/v1/certificates/{number}/pdf", Action(PrintCertificate), get(api::certificates::pdf)),
        route("GET", "/api/v1/certificates/{number}/credential", Action(PrintCertificate), get(api::certificates::credential)),
        route("POST", "/api/v1/certificates/{number}/revocation", Action(RevokeCertificate), post(api::certificates::revoke)),
        route("GET", "/api/v1/classes/{id}/completion", Action(ReadCompletion), get(api::certificates::completion)),
        route("PUT", "/api/v1/classes/{id}/completion", Action(RecordCompletion), put(api::certificates::record)),
        route("POST", "/api/v1/classes/{id}/certificates", Action(IssueTrainingCertificates), post(api::certificates::issue)),
        route("POST", "/api/v1/classes/{id}/certificates/print", Action(PrintClassCertificates), post(api::certificates::print_class)),
        route("GET", "/api/v1/print-jobs/{id}", Action(PrintClassCertificates), get(api::certificates::job)),
        route("GET", "/api/v1/print-jobs/{id}/pdf", Action(PrintClassCertificates), get(api::certificates::job_pdf)),
        route("PUT", "/api/v1/institution/certificate-pattern", Action(ConfigureInstitution), put(api::certificates::set_pattern)),
        route("PUT", "/api/v1/institution/seal", Action(ConfigureInstitution), put(api::certificates::set_seal).layer(axum::extract::DefaultBodyLimit::max(3 * 1024 * 1024))),
        route("GET", "/api/v1/openapi.json", Public, get(api::openapi::document)),
        // API: sessions.
        route("POST", "/api/v1/session", Public, post(api::session::create)),
        route("DELETE", "/api/v1/session", Action(UseOwnAccount), delete(api::session::delete)),
        route("GET", "/api/v1/me", Action(UseOwnAccount), get(api::session::me)),
        route("POST", "/api/v1/activation", Public, post(api::activation::activate)),
        // API: classes, quotas, enrolment.
        route("GET", "/api/v1/classes", Action(ListClasses), get(api::classes::list)),
        route("POST", "/api/v1/classes", Action(OpenClass), post(api::classes::create)),
        route("GET", "/api/v1/classes/{id}", Action(ReadClass), get(api::classes::show)),
        route("PUT", "/api/v1/classes/{id}", Action(EditClass), put(api::classes::update)),
        route("POST", "/api/v1/classes/{id}/submit", Action(SubmitClass), post(api::classes::submit)),
        route("POST", "/api/v1/classes/{id}/approve", Action(ApproveClass), post(api::classes::approve)),
        route("POST", "/api/v1/classes/{id}/reject", Action(RejectClass), post(api::classes::reject)),
        route("POST", "/api/v1/classes/{id}/start", Action(StartClass), post(api::classes::start)),
        route("POST", "/api/v1/classes/{id}/finish", Action(FinishClass), post(api::classes::finish)),
        route("POST", "/api/v1/classes/{id}/close", Action(CloseClass), post(api::classes::close)),
        route("GET", "/api/v1/classes/{id}/enrolments", Action(ReadRoster), get(api::enrolments::roster)),
        route("POST", "/api/v1/classes/{id}/enrolments", Action(Enrol), post(api::enrolments::create)),
        route("POST", "/api/v1/classes/{id}/roster", Action(ImportRoster), post(api::enrolments::import).layer(axum::extract::DefaultBodyLimit::max(pages::classes::UPLOAD_LIMIT))),
        route("GET", "/api/v1/classes/{id}/roster.xlsx", Action(ReadRoster), get(api::enrolments::export_xlsx)),
        route("GET", "/api/v1/classes/{id}/roster.csv", Action(ReadRoster), get(api::enrolments::export_csv)),
        route("GET", "/api/v1/roster-template.xlsx", Action(DownloadRosterTemplate), get(api::enrolments::template)),
        route("POST", "/api/v1/enrolments/{id}/documents", Action(UploadDocument), post(api::documents::upload).layer(axum::extract::DefaultBodyLimit::max(dte_app::classes::documents::MAX_DOCUMENT_BYTES + 64 * 1024))),
        route("GET", "/api/v1/enrolments/{id}/documents", Action(ReadDocuments), get(api::documents::list)),
        route("GET", "/api/v1/documents/{id}", Action(ReadDocuments), get(api::documents::download)),
        route("GET", "/api/v1/sessions/{id}/code", Action(ShowCheckInCode), get(api::check_ins::code)),
        route("POST", "/api/v1/sessions/{id}/check-ins", Action(CheckIn), post(api::check_ins::create)),
        route("POST", "/api/v1/sessions/{id}/corrections", Action(CorrectAttendance), post(api::check_ins::correct)),
        route("GET", "/api/v1/classes/{id}/attendance", Action(ReadAttendance), get(api::check_ins::ledger)),
        route("GET", "/api/v1/flags", Action(ReadFlags), get(api::flags::list)),
        // API: supervision's consequences (issue 14 items 5-7).
        route("POST", "/api/v1/flags/{key}/review", Action(ReviewFlag), post(api::supervision::review_flag)),
        route("GET", "/api/v1/violations", Action(ReadSupervision), get(api::supervision::violations)),
        route("POST", "/api/v1/violations/{id}/sanctions", Action(ImposeSanction), post(api::supervision::impose)),
        route("GET", "/api/v1/sanctions", Action(ReadSupervision), get(api::supervision::sanctions)),
        route("POST", "/api/v1/sanctions/{id}/lift", Action(ImposeSanction), post(api::supervision::lift)),
        route("GET", "/api/v1/complaints", Action(ReadSupervision), get(api::supervision::complaints)),
        route("POST", "/api/v1/complaints", Public, post(api::supervision::lodge)),
        route("POST", "/api/v1/complaints/{id}/resolve", Action(ResolveComplaint), post(api::supervision::resolve)),
        route("GET", "/api/v1/inspection-items", Public, get(api::inspections::items)),
        route("POST", "/api/v1/inspection-items", Action(ManageInspectionItems), post(api::inspections::add_item)),
        route("POST", "/api/v1/inspector-conflicts", Action(DeclareConflict), post(api::inspections::declare_conflict)),
        route("GET", "/api/v1/inspection-draws", Public, get(api::inspections::draws)),
        route("POST", "/api/v1/inspection-draws", Action(DrawInspections), post(api::inspections::run_draw)),
        route("GET", "/api/v1/inspection-draws/{id}", Public, get(api::inspections::draw)),
        route("POST", "/api/v1/sessions/{id}/heartbeats", Action(Heartbeat), post(api::online::heartbeat)),
        route("POST", "/api/v1/presence-checks/{id}/answer", Action(AnswerPresenceCheck), post(api::online::answer)),
        route("GET", "/api/v1/sessions/{id}/material", Action(ReadMaterial), get(api::recordings::material)),
        route("POST", "/api/v1/sessions/{id}/uploads", Action(UploadRecording), post(api::recordings::start)),
        route("GET", "/api/v1/uploads/{id}", Action(UploadRecording), get(api::recordings::show)),
        route("PUT", "/api/v1/uploads/{id}", Action(UploadRecording), put(api::recordings::put)),
        route("POST", "/api/v1/sessions/{id}/recording", Action(RegisterRecording), post(api::recordings::register)),
        route("GET", "/api/v1/classes/{id}/recordings", Action(ReadRecordings), get(api::recordings::list)),
        route("GET", "/api/v1/recordings/{id}/file", Action(ReadRecordings), get(api::recordings::file)),
        route("GET", "/api/v1/persons/{id}", Action(ReadPerson), get(api::persons::show)),
        route("GET", "/api/v1/quotas", Action(ReadQuotas), get(api::quotas::list)),
        route("PUT", "/api/v1/quotas/{year}/{region}", Action(EditQuotas), put(api::quotas::set)),
        // API: the holiday calendar working days are counted with.
        route("GET", "/api/v1/calendar", Action(ReadCalendar), get(api::calendar::year)),
        route("POST", "/api/v1/calendar/days", Action(EditCalendar), post(api::calendar::set_day)),
        // API: level evaluation and continuing-education hours.
        route("GET", "/api/v1/claims", Action(ListClaims), get(api::claims::list)),
        route("POST", "/api/v1/claims", Action(FileClaim), post(api::claims::open)),
        route("GET", "/api/v1/claims/{id}", Action(ReadClaim), get(api::claims::show)),
        route("POST", "/api/v1/claims/{id}/submit", Action(FileClaim), post(api::claims::submit)),
        route("POST", "/api/v1/claims/{id}/recheck", Action(FileClaim), post(api::claims::recheck)),
        route("POST", "/api/v1/claims/{id}/withdraw", Action(FileClaim), post(api::claims::withdraw)),
        route("POST", "/api/v1/claims/{id}/withdraw-line", Action(FileClaim), post(api::claims::withdraw_line)),
        route("POST", "/api/v1/claims/{id}/review", Action(ReviewClaim), post(api::claims::review)),
        route("POST", "/api/v1/claims/{id}/approve", Action(ApproveClaim), post(api::claims::approve)),
        route("POST", "/api/v1/claims/{id}/close-notice", Action(ApproveClaim), post(api::claims::close_notice)),
        route("POST", "/api/v1/claims/{id}/objections", Public, post(api::claims::object)),
        route("POST", "/api/v1/claims/{id}/objections/resolve", Action(ResolveObjection), post(api::claims::resolve)),
        route("POST", "/api/v1/claims/{id}/payment", Action(RecordPayment), post(api::claims::pay)),
        route("GET", "/api/v1/claims/{id}/form.pdf", Action(ReadClaim), get(api::claim_documents::form_pdf)),
        route("GET", "/api/v1/claims/{id}/form.xlsx", Action(ReadClaim), get(api::claim_documents::form_xlsx)),
        route("GET", "/api/v1/claims/{id}/ledger.pdf", Action(ReadClaim), get(api::claim_documents::ledger_pdf)),
        route("GET", "/api/v1/claims/{id}/ledger.xlsx", Action(ReadClaim), get(api::claim_documents::ledger_xlsx)),
        route("GET", "/api/v1/notices", Public, get(api::claims::notices)),
        route("GET", "/api/v1/notices/{file}", Public, get(api::claim_documents::notice)),
        route("GET", "/api/v1/payments", Action(ListClaims), get(api::claims::payments)),
        route("GET", "/api/v1/clawbacks", Action(ListClaims), get(api::claims::clawbacks)),
        route("GET", "/api/v1/reports/subsidies.xlsx", Action(ListClaims), get(api::claim_documents::subsidies)),
        route("POST", "/api/v1/clawbacks", Action(ManageClawbacks), post(api::claims::open_clawback)),
        route("POST", "/api/v1/clawbacks/{id}/recoveries", Action(ManageClawbacks), post(api::claims::recover)),
        route("POST", "/api/v1/clawbacks/{id}/write-off", Action(ManageClawbacks), post(api::claims::write_off)),
        route("GET", "/api/v1/funds", Action(ReadFunds), get(api::claims::balances)),
        route("POST", "/api/v1/funds", Action(ManageFunds), post(api::claims::allocate)),
        route("GET", "/api/v1/exam-plans", Action(ListExamPlans), get(api::exams::list)),
        route("POST", "/api/v1/exam-plans", Action(ProposeExamPlan), post(api::exams::propose)),
        route("GET", "/api/v1/exam-plans/{id}", Action(ReadExamPlan), get(api::exams::show)),
        route("POST", "/api/v1/exam-plans/{id}/agree", Action(AgreeExamPlan), post(api::exams::agree)),
        route("POST", "/api/v1/exam-plans/{id}/decline", Action(DeclineExamPlan), post(api::exams::decline)),
        route("POST", "/api/v1/exam-plans/{id}/certificates", Action(IssueLevelCertificates), post(api::exams::issue)),
        route("PUT", "/api/v1/exam-plans/{id}/scores", Action(RecordScores), put(api::exams::enter_scores)),
        route("GET", "/api/v1/exam-plans/{id}/scores.xlsx", Action(RecordScores), get(api::exams::score_sheet)),
        route("POST", "/api/v1/exam-plans/{id}/scores.xlsx", Action(RecordScores), post(api::exams::import_scores).layer(axum::extract::DefaultBodyLimit::max(pages::classes::UPLOAD_LIMIT))),
        route("GET", "/api/v1/me/hours", Action(ReadOwnHours), get(api::hours::mine)),
        route("GET", "/api/v1/me/hours.xlsx", Action(ReadOwnHours), get(api::hours::mine_xlsx)),
        route("GET", "/api/v1/me/hours.pdf", Action(ReadOwnHours), get(api::hours::mine_pdf)),
        route("GET", "/api/v1/persons/{id}/hours", Action(ReadHours), get(api::hours::of_person)),
        route("GET", "/api/v1/persons/{id}/hours.xlsx", Action(ReadHours), get(api::hours::of_person_xlsx)),
        route("GET", "/api/v1/persons/{id}/hours.pdf", Action(ReadHours), get(api::hours::of_person_pdf)),
        // API: the audit log (audit administrator only).
        route("GET", "/api/v1/audit", Action(ReadAuditLog), get(api::audit::list)),
        // Pages: public.
        route("GET", "/", Public, get(pages::home::home)),
        route("GET", "/occupations", Public, get(pages::catalog::occupations)),
        route("GET", "/institutions", Public, get(pages::catalog::institutions)),
        route("GET", "/regions", Public, get(pages::catalog::regions)),
        route("GET", "/policy", Public, get(pages::catalog::policy)),
        route("GET", "/catalog.xlsx", Public, get(pages::catalog::export)),
        route("GET", "/api", Public, get(pages::api_reference::page)),
        // Pages: signing in and out, the account.
        route("GET", "/login", Public, get(pages::session::form)),
        route("POST", "/login", Public, post(pages::session::submit)),
        route("POST", "/logout", Action(UseOwnAccount), post(pages::session::logout)),
        route("GET", "/workbench", Action(UseOwnAccount), get(pages::workbench::page)),
        route("GET", "/account", Action(UseOwnAccount), get(pages::account::page)),
        route("POST", "/account/password", Action(UseOwnAccount), post(pages::account::change_password)),
        // Pages: account management within scope.
        route("GET", "/users", Action(ListUsers), get(pages::users::list)),
        route("POST", "/users", Action(CreateUser), post(pages::users::create)),
        // Pages: classes, enrolment, quotas and trainee activation.
        route("GET", "/classes", Action(ListClasses), get(pages::classes::list)),
        route("POST", "/classes", Action(OpenClass), post(pages::classes::create)),
        route("GET", "/classes/new", Action(OpenClass), get(pages::classes::new)),
        route("GET", "/classes/{id}", Action(ReadClass), get(pages::classes::page)),
        route("GET", "/classes/{id}/edit", Action(EditClass), get(pages::classes::edit)),
        route("POST", "/classes/{id}/edit", Action(EditClass), post(pages::classes::update)),
        route("POST", "/classes/{id}/actions", AnyOf(CLASS_RUNNING), post(pages::classes::act)),
        route("POST", "/classes/{id}/decisions", AnyOf(CLASS_DECISIONS), post(pages::classes::act)),
        route("POST", "/classes/{id}/enrolments", Action(Enrol), post(pages::classes::enrol)),
        route("POST", "/classes/{id}/roster", Action(ImportRoster), post(pages::classes::import_roster).layer(axum::extract::DefaultBodyLimit::max(pages::classes::UPLOAD_LIMIT))),
        route("POST", "/enrolments/{id}/documents", Action(UploadDocument), post(pages::classes::upload_document).layer(axum::extract::DefaultBodyLimit::max(pages::classes::UPLOAD_LIMIT))),
        route("GET", "/classes/{id}/attendance", Action(ReadAttendance), get(pages::attendance::ledger)),
        route("POST", "/classes/{id}/attendance/corrections", Action(CorrectAttendance), post(pages::attendance::correct)),
        route("GET", "/check-in", Action(ListCheckIns), get(pages::attendance::list)),
        route("GET", "/check-in/{id}", Action(CheckIn), get(pages::attendance::page)),
        route("GET", "/sessions/{id}/display", Action(ShowCheckInCode), get(pages::attendance::display)),
        route("GET", "/sessions/{id}/display/code", Action(ShowCheckInCode), get(pages::attendance::display_code)),
        route("GET", "/monitor", Action(Monitor), get(pages::monitor::page)),
        route("GET", "/monitor/live", Action(Monitor), get(pages::monitor::live)),
        route("GET", "/classes/{id}/recordings", Action(ReadRecordings), get(pages::learning::recordings)),
        route("GET", "/learn/{id}", Action(LearnOnline), get(pages::learning::learn)),
        route("GET", "/quotas", Action(ReadQuotas), get(pages::quotas::page)),
        route("POST", "/quotas", Action(EditQuotas), post(pages::quotas::set)),
        route("GET", "/calendar", Action(ReadCalendar), get(pages::calendar::page)),
        route("POST", "/calendar/days", Action(EditCalendar), post(pages::calendar::set_day)),
        route("GET", "/claims", Action(ListClaims), get(pages::claims::list)),
        route("POST", "/claims", Action(FileClaim), post(pages::claims::open)),
        route("GET", "/claims/{id}", Action(ReadClaim), get(pages::claims::page)),
        route("POST", "/claims/{id}", AnyOf(CLAIM_STEPS), post(pages::claims::act)),
        route("POST", "/clawbacks/{id}", Action(ManageClawbacks), post(pages::claims::clawback)),
        route("POST", "/funds", Action(ManageFunds), post(pages::claims::funds)),
        route("GET", "/notices", Public, get(pages::claims::notices)),
        route("POST", "/notices/{id}/objections", Public, post(pages::claims::object)),
        route("GET", "/verify", Public, get(pages::certificates::verify_page)),
        route("GET", "/certificates", Action(ListCertificates), get(pages::certificates::list)),
        route("POST", "/certificates/{number}/revocation", Action(RevokeCertificate), post(pages::certificates::revoke)),
        route("GET", "/classes/{id}/completion", Action(RecordCompletion), get(pages::certificates::completion_page)),
        route("POST", "/classes/{id}/completion", Action(RecordCompletion), post(pages::certificates::record)),
        route("POST", "/classes/{id}/certificates", Action(IssueTrainingCertificates), post(pages::certificates::issue_certificates)),
        route("POST", "/classes/{id}/print", Action(PrintClassCertificates), post(pages::certificates::print)),
        route("GET", "/print-jobs/{id}", Action(PrintClassCertificates), get(pages::certificates::progress)),
        route("POST", "/institution/certificate-pattern", Action(ConfigureInstitution), post(pages::certificates::set_pattern)),
        route("GET", "/activate", Public, get(pages::activation::form)),
        route("POST", "/activate", Public, post(pages::activation::submit)),
        // Pages: level evaluation and continuing-education hours.
        route("GET", "/exam-plans", Action(ListExamPlans), get(pages::evaluation::plans)),
        route("POST", "/exam-plans", Action(ProposeExamPlan), post(pages::evaluation::propose)),
        route("GET", "/exam-plans/{id}", Action(ReadExamPlan), get(pages::exam_plan::plan_page)),
        route("POST", "/exam-plans/{id}/agree", Action(AgreeExamPlan), post(pages::exam_plan::agree)),
        route("POST", "/exam-plans/{id}/decline", Action(DeclineExamPlan), post(pages::exam_plan::decline)),
        route("POST", "/exam-plans/{id}/scores", Action(RecordScores), post(pages::exam_plan::scores)),
        route("POST", "/exam-plans/{id}/scores.xlsx", Action(RecordScores), post(pages::exam_plan::import_scores).layer(axum::extract::DefaultBodyLimit::max(pages::classes::UPLOAD_LIMIT))),
        route("POST", "/exam-plans/{id}/certificates", Action(IssueLevelCertificates), post(pages::exam_plan::issue)),
        route("GET", "/hours", Action(ReadOwnHours), get(pages::evaluation::my_hours)),
        // Pages: the audit log (audit administrator only).
        route("GET", "/audit", Action(ReadAuditLog), get(pages::audit::page)),
        // Assets embedded in the binary.
        route("GET", "/assets/{file}", Public, get(assets::serve)),
    ]
}

/// Every route with its permission, for the authorization-matrix and OpenAPI tests.
pub fn routes() -> Vec<RouteInfo> {
    table().into_iter().map(|(info, _)| info).collect()
}

/// The whole application: routes, then the layers every request passes through.
pub fn app(state: AppState) -> Router {
    let mut router = Router::new();
    for (info, handler) in table() {
        let permission = info.permission;
        let guarded = handler.route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            move |axum::extract::State(state): axum::extract::State<AppState>, request, next| {
                guard::enforce(state, permission, request, next)
            },
        ));
        router = router.route(info.path, guarded);
    }
    let request_id = HeaderName::from_static("x-request-id");
    // Browsers keep to HTTPS once they have seen it (ASVS 5.0 V3.4.1), when DTE is reached by
    // HTTPS: its own TLS or an https public URL behind a proxy.
    let hsts = state
        .security
        .secure_cookies
        .then(|| HeaderValue::from_static("max-age=31536000"));
    router
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn_with_state(state.clone(), auth::identify))
        .with_state(state)
        // Video is compressed already, and a compressed body would break its byte ranges.
        .layer(CompressionLayer::new().compress_when(
            DefaultPredicate::new().and(NotForContentType::const_new("video/")),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::STRICT_TRANSPORT_SECURITY,
            move |_: &axum::response::Response<_>| hsts.clone(),
        ))
        .layer(security_header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(security_header(header::X_FRAME_OPTIONS, "DENY"))
        .layer(security_header(header::REFERRER_POLICY, "same-origin"))
        .layer(security_header(
            header::CONTENT_SECURITY_POLICY,
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
             frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
        ))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ))
        .layer(CatchPanicLayer::new())
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
            let id = request
                .headers()
                .get("x-request-id")
                .and_then(|value| value.to_str().ok())
                .unwrap_or("-");
            // Only the path is logged: query strings may carry personal data.
            tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), id)
        }))
        .layer(SetRequestIdLayer::new(request_id, NextRequestId::default()))
        .layer(axum::middleware::map_request(drop_malformed_request_id))
}

/// The longest request id a client may bring; a longer or ill-formed one is replaced.
const REQUEST_ID_MAX_LEN: usize = 64;

/// A client's `X-Request-Id` is kept (echoed, logged, stored in the audit log) only when it is
/// 1 to 64 letters, digits, `-`, `_` or `.`; anything else is dropped so that DTE makes one.
async fn drop_malformed_request_id(mut request: axum::extract::Request) -> axum::extract::Request {
    let well_formed = request
        .headers()
        .get_all("x-request-id")
        .iter()
        .map(|value| well_formed_request_id(value.as_bytes()))
        .collect::<Vec<_>>();
    if well_formed != [true] {
        request.headers_mut().remove("x-request-id");
    }
    request
}

fn well_formed_request_id(id: &[u8]) -> bool {
    (1..=REQUEST_ID_MAX_LEN).contains(&id.len())
        && id
            .iter()
            .all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.'))
}

fn security_header(name: HeaderName, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
}

/// Request ids: a per-process random prefix and a counter, unique across restarts.
#[derive(Clone)]
struct NextRequestId {
    prefix: u32,
    counter: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl Default for NextRequestId {
    fn default() -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|elapsed| elapsed.subsec_nanos() ^ (elapsed.as_secs() as u32))
            .unwrap_or(0);
        NextRequestId {
            prefix: nanos ^ std::process::id(),
            counter: Default::default(),
        }
    }
}

impl MakeRequestId for NextRequestId {
    fn make_request_id<B>(&mut self, _request: &Request<B>) -> Option<RequestId> {
        let next = self
            .counter
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        HeaderValue::from_str(&format!("{:08x}-{next:x}", self.prefix))
            .ok()
            .map(RequestId::new)
    }
}

/// Whether a caller of `role` may open the page at `href` (a `GET` route; a query string is
/// ignored): what a link on a page asks, so it is offered exactly when the router would let
/// the caller in. An unknown path is never offered.
pub fn may_open(href: &str, role: Option<Role>) -> bool {
    let path = href.split('?').next().unwrap_or(href);
    routes()
        .iter()
        .find(|route| route.method == "GET" && route.path == path)
        .is_some_and(|route| route.permission.allows(role))
}
