//! Every route of DTE, with the permission it needs: the table of contents of the API and the
//! pages. A route is added here or nowhere.

use crate::{AppState, api, assets, auth, guard, pages};
use axum::Router;
use axum::http::{HeaderName, HeaderValue, Request, header};
use axum::routing::{MethodRouter, delete, get, post, put};
use dte_domain::Role;
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

/// Who may use a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Anyone, signed in or not: the catalogs, public verification, health checks, assets.
    Public,
    /// Any signed-in account.
    SignedIn,
    /// Signed-in accounts of these roles only.
    Roles(&'static [Role]),
}

impl Permission {
    /// Whether a caller of this role (`None`: not signed in) may use the route.
    pub fn allows(self, role: Option<Role>) -> bool {
        match (self, role) {
            (Permission::Public, _) => true,
            (_, None) => false,
            (Permission::SignedIn, Some(_)) => true,
            (Permission::Roles(roles), Some(role)) => roles.contains(&role),
        }
    }
}

/// Who manages accounts: the province (everyone) and cities (their region's institutions).
const ACCOUNT_MANAGERS: &[Role] = &[Role::ProvinceAdmin, Role::CityAdmin];
/// The audit administrator alone (MLPS 三权分立).
const AUDITOR: &[Role] = &[Role::Auditor];
/// The province alone.
const PROVINCE: &[Role] = &[Role::ProvinceAdmin];
/// Who sees classes (each within scope): everyone but the audit administrator.
const CLASS_READERS: &[Role] = &[
    Role::ProvinceAdmin,
    Role::CityAdmin,
    Role::TrainingInstitution,
    Role::EvaluationInstitution,
    Role::Trainee,
    Role::Inspector,
];
/// Who sees rosters (each within scope): as classes, but not trainees.
const ROSTER_READERS: &[Role] = &[
    Role::ProvinceAdmin,
    Role::CityAdmin,
    Role::TrainingInstitution,
    Role::EvaluationInstitution,
    Role::Inspector,
];
/// Trainees.
const TRAINEES: &[Role] = &[Role::Trainee];
/// Who sees certificates in a list (each within their scope).
const CERTIFICATE_READERS: &[Role] = &[
    Role::ProvinceAdmin,
    Role::CityAdmin,
    Role::TrainingInstitution,
    Role::EvaluationInstitution,
    Role::Trainee,
    Role::Inspector,
];
/// Who may print a certificate or download its credential (within scope): the issuing
/// institutions, the supervising bureaus and the holder; not the inspector, who reads but
/// produces no official document.
const CERTIFICATE_PRINTERS: &[Role] = &[
    Role::ProvinceAdmin,
    Role::CityAdmin,
    Role::TrainingInstitution,
    Role::EvaluationInstitution,
    Role::Trainee,
];
/// Who may revoke (the handler checks it is the issuer, unless the province).
const REVOKERS: &[Role] = &[
    Role::ProvinceAdmin,
    Role::TrainingInstitution,
    Role::EvaluationInstitution,
];
const INSTITUTIONS: &[Role] = &[Role::TrainingInstitution, Role::EvaluationInstitution];
/// Training institutions' staff.
const TRAINING: &[Role] = &[Role::TrainingInstitution];
/// Who decides on submitted classes: the city of the class's region, or the province.
const REVIEWERS: &[Role] = &[Role::ProvinceAdmin, Role::CityAdmin];
/// Who reads quotas: the province, cities (their own) and inspectors.
const QUOTA_READERS: &[Role] = &[Role::ProvinceAdmin, Role::CityAdmin, Role::Inspector];
/// Who watches attendance and sees the risk flags: the province, cities (their region) and
/// inspectors (纪检, read-only).
const SUPERVISORS: &[Role] = &[Role::ProvinceAdmin, Role::CityAdmin, Role::Inspector];
/// Who may look a person up (within scope) and reveal their full ID number (audited).
const PERSON_VIEWERS: &[Role] = &[
    Role::ProvinceAdmin,
    Role::CityAdmin,
    Role::TrainingInstitution,
    Role::Inspector,
];
/// Who sees exam plans (each within scope): both institutions, cities, the province,
/// inspectors, and trainees (the plans they are candidates of).
const EXAM_READERS: &[Role] = CLASS_READERS;
/// Evaluation institutions' staff.
const EVALUATION: &[Role] = &[Role::EvaluationInstitution];
/// Who reads a person's continuing-education hours (within scope).
const HOURS_READERS: &[Role] = &[
    Role::ProvinceAdmin,
    Role::CityAdmin,
    Role::TrainingInstitution,
    Role::EvaluationInstitution,
    Role::Inspector,
];

/// Who registers recordings and learning materials: the institution running the class.
const RECORDERS: &[Role] = &[Role::TrainingInstitution];
/// Who lists, plays and downloads recordings (each within scope): the province, cities (their
/// region), inspectors and the institution running the class.
const RECORDING_READERS: &[Role] = &[
    Role::ProvinceAdmin,
    Role::CityAdmin,
    Role::TrainingInstitution,
    Role::Inspector,
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
    use Permission::{Public, Roles, SignedIn};
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
        route("GET", "/api/v1/certificates", Roles(CERTIFICATE_READERS), get(api::certificates::list)),
        route("GET", "/api/v1/certificates/{number}/pdf", Roles(CERTIFICATE_PRINTERS), get(api::certificates::pdf)),
        route("GET", "/api/v1/certificates/{number}/credential", Roles(CERTIFICATE_PRINTERS), get(api::certificates::credential)),
        route("POST", "/api/v1/certificates/{number}/revocation", Roles(REVOKERS), post(api::certificates::revoke)),
        route("GET", "/api/v1/classes/{id}/completion", Roles(ROSTER_READERS), get(api::certificates::completion)),
        route("PUT", "/api/v1/classes/{id}/completion", Roles(TRAINING), put(api::certificates::record)),
        route("POST", "/api/v1/classes/{id}/certificates", Roles(TRAINING), post(api::certificates::issue)),
        route("POST", "/api/v1/classes/{id}/certificates/print", Roles(TRAINING), post(api::certificates::print_class)),
        route("GET", "/api/v1/print-jobs/{id}", Roles(TRAINING), get(api::certificates::job)),
        route("GET", "/api/v1/print-jobs/{id}/pdf", Roles(TRAINING), get(api::certificates::job_pdf)),
        route("PUT", "/api/v1/institution/certificate-pattern", Roles(INSTITUTIONS), put(api::certificates::set_pattern)),
        route("PUT", "/api/v1/institution/seal", Roles(INSTITUTIONS), put(api::certificates::set_seal).layer(axum::extract::DefaultBodyLimit::max(3 * 1024 * 1024))),
        route("GET", "/api/v1/openapi.json", Public, get(api::openapi::document)),
        // API: sessions.
        route("POST", "/api/v1/session", Public, post(api::session::create)),
        route("DELETE", "/api/v1/session", SignedIn, delete(api::session::delete)),
        route("GET", "/api/v1/me", SignedIn, get(api::session::me)),
        route("POST", "/api/v1/activation", Public, post(api::activation::activate)),
        // API: classes, quotas, enrolment.
        route("GET", "/api/v1/classes", Roles(CLASS_READERS), get(api::classes::list)),
        route("POST", "/api/v1/classes", Roles(TRAINING), post(api::classes::create)),
        route("GET", "/api/v1/classes/{id}", Roles(CLASS_READERS), get(api::classes::show)),
        route("PUT", "/api/v1/classes/{id}", Roles(TRAINING), put(api::classes::update)),
        route("POST", "/api/v1/classes/{id}/submit", Roles(TRAINING), post(api::classes::submit)),
        route("POST", "/api/v1/classes/{id}/approve", Roles(REVIEWERS), post(api::classes::approve)),
        route("POST", "/api/v1/classes/{id}/reject", Roles(REVIEWERS), post(api::classes::reject)),
        route("POST", "/api/v1/classes/{id}/start", Roles(TRAINING), post(api::classes::start)),
        route("POST", "/api/v1/classes/{id}/finish", Roles(TRAINING), post(api::classes::finish)),
        route("POST", "/api/v1/classes/{id}/close", Roles(REVIEWERS), post(api::classes::close)),
        route("GET", "/api/v1/classes/{id}/enrolments", Roles(ROSTER_READERS), get(api::enrolments::roster)),
        route("POST", "/api/v1/classes/{id}/enrolments", Roles(TRAINING), post(api::enrolments::create)),
        route("POST", "/api/v1/classes/{id}/roster", Roles(TRAINING), post(api::enrolments::import).layer(axum::extract::DefaultBodyLimit::max(pages::classes::UPLOAD_LIMIT))),
        route("GET", "/api/v1/classes/{id}/roster.xlsx", Roles(ROSTER_READERS), get(api::enrolments::export_xlsx)),
        route("GET", "/api/v1/classes/{id}/roster.csv", Roles(ROSTER_READERS), get(api::enrolments::export_csv)),
        route("GET", "/api/v1/roster-template.xlsx", Roles(TRAINING), get(api::enrolments::template)),
        route("POST", "/api/v1/enrolments/{id}/documents", Roles(TRAINING), post(api::documents::upload).layer(axum::extract::DefaultBodyLimit::max(dte_app::classes::documents::MAX_DOCUMENT_BYTES + 64 * 1024))),
        route("GET", "/api/v1/enrolments/{id}/documents", Roles(ROSTER_READERS), get(api::documents::list)),
        route("GET", "/api/v1/documents/{id}", Roles(ROSTER_READERS), get(api::documents::download)),
        route("GET", "/api/v1/sessions/{id}/code", Roles(TRAINING), get(api::check_ins::code)),
        route("POST", "/api/v1/sessions/{id}/check-ins", Roles(TRAINEES), post(api::check_ins::create)),
        route("POST", "/api/v1/sessions/{id}/corrections", Roles(TRAINING), post(api::check_ins::correct)),
        route("GET", "/api/v1/classes/{id}/attendance", Roles(CLASS_READERS), get(api::check_ins::ledger)),
        route("GET", "/api/v1/flags", Roles(SUPERVISORS), get(api::flags::list)),
        route("POST", "/api/v1/sessions/{id}/heartbeats", Roles(TRAINEES), post(api::online::heartbeat)),
        route("POST", "/api/v1/presence-checks/{id}/answer", Roles(TRAINEES), post(api::online::answer)),
        route("GET", "/api/v1/sessions/{id}/material", Roles(CLASS_READERS), get(api::recordings::material)),
        route("POST", "/api/v1/sessions/{id}/uploads", Roles(RECORDERS), post(api::recordings::start)),
        route("GET", "/api/v1/uploads/{id}", Roles(RECORDERS), get(api::recordings::show)),
        route("PUT", "/api/v1/uploads/{id}", Roles(RECORDERS), put(api::recordings::put)),
        route("POST", "/api/v1/sessions/{id}/recording", Roles(RECORDERS), post(api::recordings::register)),
        route("GET", "/api/v1/classes/{id}/recordings", Roles(RECORDING_READERS), get(api::recordings::list)),
        route("GET", "/api/v1/recordings/{id}/file", Roles(RECORDING_READERS), get(api::recordings::file)),
        route("GET", "/api/v1/persons/{id}", Roles(PERSON_VIEWERS), get(api::persons::show)),
        route("GET", "/api/v1/quotas", Roles(QUOTA_READERS), get(api::quotas::list)),
        route("PUT", "/api/v1/quotas/{year}/{region}", Roles(PROVINCE), put(api::quotas::set)),
        // API: level evaluation and continuing-education hours.
        route("GET", "/api/v1/exam-plans", Roles(EXAM_READERS), get(api::exams::list)),
        route("POST", "/api/v1/exam-plans", Roles(TRAINING), post(api::exams::propose)),
        route("GET", "/api/v1/exam-plans/{id}", Roles(EXAM_READERS), get(api::exams::show)),
        route("POST", "/api/v1/exam-plans/{id}/agree", Roles(EVALUATION), post(api::exams::agree)),
        route("POST", "/api/v1/exam-plans/{id}/decline", Roles(EVALUATION), post(api::exams::decline)),
        route("POST", "/api/v1/exam-plans/{id}/certificates", Roles(EVALUATION), post(api::exams::issue)),
        route("PUT", "/api/v1/exam-plans/{id}/scores", Roles(EVALUATION), put(api::exams::enter_scores)),
        route("GET", "/api/v1/exam-plans/{id}/scores.xlsx", Roles(EVALUATION), get(api::exams::score_sheet)),
        route("POST", "/api/v1/exam-plans/{id}/scores.xlsx", Roles(EVALUATION), post(api::exams::import_scores).layer(axum::extract::DefaultBodyLimit::max(pages::classes::UPLOAD_LIMIT))),
        route("GET", "/api/v1/me/hours", Roles(TRAINEES), get(api::hours::mine)),
        route("GET", "/api/v1/me/hours.xlsx", Roles(TRAINEES), get(api::hours::mine_xlsx)),
        route("GET", "/api/v1/me/hours.pdf", Roles(TRAINEES), get(api::hours::mine_pdf)),
        route("GET", "/api/v1/persons/{id}/hours", Roles(HOURS_READERS), get(api::hours::of_person)),
        route("GET", "/api/v1/persons/{id}/hours.xlsx", Roles(HOURS_READERS), get(api::hours::of_person_xlsx)),
        route("GET", "/api/v1/persons/{id}/hours.pdf", Roles(HOURS_READERS), get(api::hours::of_person_pdf)),
        // API: the audit log (audit administrator only).
        route("GET", "/api/v1/audit", Roles(AUDITOR), get(api::audit::list)),
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
        route("POST", "/logout", SignedIn, post(pages::session::logout)),
        route("GET", "/workbench", SignedIn, get(pages::workbench::page)),
        route("GET", "/account", SignedIn, get(pages::account::page)),
        route("POST", "/account/password", SignedIn, post(pages::account::change_password)),
        // Pages: account management within scope.
        route("GET", "/users", Roles(ACCOUNT_MANAGERS), get(pages::users::list)),
        route("POST", "/users", Roles(PROVINCE), post(pages::users::create)),
        // Pages: classes, enrolment, quotas and trainee activation.
        route("GET", "/classes", Roles(CLASS_READERS), get(pages::classes::list)),
        route("POST", "/classes", Roles(TRAINING), post(pages::classes::create)),
        route("GET", "/classes/new", Roles(TRAINING), get(pages::classes::new)),
        route("GET", "/classes/{id}", Roles(CLASS_READERS), get(pages::classes::page)),
        route("GET", "/classes/{id}/edit", Roles(TRAINING), get(pages::classes::edit)),
        route("POST", "/classes/{id}/edit", Roles(TRAINING), post(pages::classes::update)),
        route("POST", "/classes/{id}/actions", Roles(TRAINING), post(pages::classes::act)),
        route("POST", "/classes/{id}/decisions", Roles(REVIEWERS), post(pages::classes::act)),
        route("POST", "/classes/{id}/enrolments", Roles(TRAINING), post(pages::classes::enrol)),
        route("POST", "/classes/{id}/roster", Roles(TRAINING), post(pages::classes::import_roster).layer(axum::extract::DefaultBodyLimit::max(pages::classes::UPLOAD_LIMIT))),
        route("POST", "/enrolments/{id}/documents", Roles(TRAINING), post(pages::classes::upload_document).layer(axum::extract::DefaultBodyLimit::max(pages::classes::UPLOAD_LIMIT))),
        route("GET", "/classes/{id}/attendance", Roles(CLASS_READERS), get(pages::attendance::ledger)),
        route("POST", "/classes/{id}/attendance/corrections", Roles(TRAINING), post(pages::attendance::correct)),
        route("GET", "/check-in", Roles(TRAINEES), get(pages::attendance::list)),
        route("GET", "/check-in/{id}", Roles(TRAINEES), get(pages::attendance::page)),
        route("GET", "/sessions/{id}/display", Roles(TRAINING), get(pages::attendance::display)),
        route("GET", "/sessions/{id}/display/code", Roles(TRAINING), get(pages::attendance::display_code)),
        route("GET", "/monitor", Roles(SUPERVISORS), get(pages::monitor::page)),
        route("GET", "/monitor/live", Roles(SUPERVISORS), get(pages::monitor::live)),
        route("GET", "/classes/{id}/recordings", Roles(RECORDING_READERS), get(pages::learning::recordings)),
        route("GET", "/learn/{id}", Roles(TRAINEES), get(pages::learning::learn)),
        route("GET", "/quotas", Roles(QUOTA_READERS), get(pages::quotas::page)),
        route("POST", "/quotas", Roles(PROVINCE), post(pages::quotas::set)),
        route("GET", "/verify", Public, get(pages::certificates::verify_page)),
        route("GET", "/certificates", Roles(CERTIFICATE_READERS), get(pages::certificates::list)),
        route("POST", "/certificates/{number}/revocation", Roles(REVOKERS), post(pages::certificates::revoke)),
        route("GET", "/classes/{id}/completion", Roles(TRAINING), get(pages::certificates::completion_page)),
        route("POST", "/classes/{id}/completion", Roles(TRAINING), post(pages::certificates::record)),
        route("POST", "/classes/{id}/certificates", Roles(TRAINING), post(pages::certificates::issue_certificates)),
        route("POST", "/classes/{id}/print", Roles(TRAINING), post(pages::certificates::print)),
        route("GET", "/print-jobs/{id}", Roles(TRAINING), get(pages::certificates::progress)),
        route("POST", "/institution/certificate-pattern", Roles(INSTITUTIONS), post(pages::certificates::set_pattern)),
        route("GET", "/activate", Public, get(pages::activation::form)),
        route("POST", "/activate", Public, post(pages::activation::submit)),
        // Pages: level evaluation and continuing-education hours.
        route("GET", "/exam-plans", Roles(EXAM_READERS), get(pages::evaluation::plans)),
        route("POST", "/exam-plans", Roles(TRAINING), post(pages::evaluation::propose)),
        route("GET", "/exam-plans/{id}", Roles(EXAM_READERS), get(pages::exam_plan::plan_page)),
        route("POST", "/exam-plans/{id}/agree", Roles(EVALUATION), post(pages::exam_plan::agree)),
        route("POST", "/exam-plans/{id}/decline", Roles(EVALUATION), post(pages::exam_plan::decline)),
        route("POST", "/exam-plans/{id}/scores", Roles(EVALUATION), post(pages::exam_plan::scores)),
        route("POST", "/exam-plans/{id}/scores.xlsx", Roles(EVALUATION), post(pages::exam_plan::import_scores).layer(axum::extract::DefaultBodyLimit::max(pages::classes::UPLOAD_LIMIT))),
        route("POST", "/exam-plans/{id}/certificates", Roles(EVALUATION), post(pages::exam_plan::issue)),
        route("GET", "/hours", Roles(TRAINEES), get(pages::evaluation::my_hours)),
        // Pages: the audit log (audit administrator only).
        route("GET", "/audit", Roles(AUDITOR), get(pages::audit::page)),
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
