//! Builds the application: pool, migrations, and an HTTP server on a bound listener
//! (port 0 picks a free port, which the tests use).

use actix_web::dev::Server;
use actix_web::{middleware, web, App, HttpServer};
use std::net::TcpListener;
use std::sync::Arc;

use crate::config::Settings;
use crate::http::{self, AppState};
use crate::store::{self, Pool};

pub struct Application {
    port: u16,
    server: Server,
    pool: Pool,
    /// The e-mail sender and the deletion of closed waves' addresses (stopped with the server).
    mail: crate::outbox::Worker,
}

impl Application {
    /// Connects, migrates and binds. The server starts when `run` is awaited.
    pub fn build(settings: Settings) -> anyhow::Result<Application> {
        let pool = store::build_pool(&settings.database, settings.pool_size, settings.pool_wait)?;
        {
            let mut conn = pool.get()?;
            let n = store::run_migrations(&mut conn)?;
            if n > 0 {
                tracing::info!(applied = n, "migrations applied");
            }
        }
        let listener = TcpListener::bind(&settings.bind)
            .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", settings.bind))?;
        Self::with_listener(settings, pool, listener)
    }

    pub fn with_listener(
        settings: Settings,
        pool: Pool,
        listener: TcpListener,
    ) -> anyhow::Result<Application> {
        let port = listener.local_addr()?.port();
        let oidc = oidc_provider(&settings)?;
        let limiter = Arc::new(http::limits::Limiter::new(settings.respondent_limit));
        let cache: Arc<crate::store::cache::Cache> = Default::default();
        let writer = crate::ingest::Writer::start(pool.clone(), &settings.database, cache.clone())?;
        let sender = match (&settings.mail, &settings.public_url) {
            (Some(mail), Some(public_url)) => Some(crate::outbox::SenderSettings {
                mail: mail.clone(),
                public_url: public_url.clone(),
            }),
            (Some(_), None) => {
                tracing::warn!(
                    "KLANTSPIEGEL_SMTP_URL is set but KLANTSPIEGEL_PUBLIC_URL is not: \
                     this instance sends no e-mail (links in a mail must be absolute)"
                );
                None
            }
            (None, _) => None,
        };
        let mail = crate::outbox::Worker::start(pool.clone(), sender, settings.audit_days)?;
        let heavy = Arc::new(http::heavy::HeavyGate::new(settings.heavy_limit));
        let live = Arc::new(http::live_hub::LiveHub::new(pool.clone())?);
        live.start_sweeper();
        let state = AppState {
            pool: pool.clone(),
            settings: Arc::new(settings),
            writer,
            cache,
            limiter,
            bearer_limit: Default::default(),
            oidc,
            heavy,
            live,
        };
        let server = HttpServer::new(move || {
            App::new()
                .app_data(web::Data::new(state.clone()))
                .wrap(http::security_headers())
                .wrap(middleware::from_fn(http::audit::audit_requests))
                .wrap(middleware::from_fn(http::pacing::write_deadline))
                .wrap(middleware::from_fn(http::limits::body_deadline))
                .wrap(middleware::from_fn(http::log_requests))
                .configure(http::configure)
        })
        // Slow readers of large responses: `http::pacing` (KLANTSPIEGEL_WRITE_MIN_RATE).
        .on_connect(http::pacing::on_connect)
        .shutdown_timeout(30)
        // SIGINT and SIGTERM are handled by `run_until_stopped`: actix would treat SIGINT
        // (Ctrl-C) as a forced stop that cuts requests in flight.
        .disable_signals()
        // Slow clients: the request head must arrive within 10 s, idle keep-alive ends after 30 s;
        // bodies have their own deadline (`http::limits::body_deadline`).
        .client_request_timeout(std::time::Duration::from_secs(10))
        .client_disconnect_timeout(std::time::Duration::from_secs(5))
        .keep_alive(std::time::Duration::from_secs(30))
        .listen(listener)?
        .run();
        Ok(Application {
            port,
            server,
            pool,
            mail,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn pool(&self) -> Pool {
        self.pool.clone()
    }

    /// The name this instance claims e-mails under (`outbox.claimed_by`).
    pub fn mail_instance(&self) -> &str {
        self.mail.instance()
    }

    /// Serves until the server is stopped through its handle (the tests); ignores signals.
    /// The e-mail sender then finishes the mail in hand and stops.
    pub async fn run(self) -> std::io::Result<()> {
        let result = self.server.await;
        self.mail.stop();
        result
    }

    /// Listens for SIGINT (Ctrl-C) and SIGTERM from now on, and returns the server: awaited, it
    /// serves until either signal, then lets requests in flight finish (at most 30 s). A second
    /// signal while draining stops at once. Call it from within the actix system. The e-mail
    /// sender then finishes the mail in hand and stops.
    pub fn run_until_stopped(
        self,
    ) -> std::io::Result<impl std::future::Future<Output = std::io::Result<()>>> {
        use tokio::signal::unix::{signal, SignalKind};
        let int = signal(SignalKind::interrupt())?;
        let term = signal(SignalKind::terminate())?;
        actix_web::rt::spawn(stop_on_signals(self.server.handle(), int, term));
        let (server, mail) = (self.server, self.mail);
        Ok(async move {
            let result = server.await;
            mail.stop();
            result
        })
    }
}

/// Waits for SIGINT or SIGTERM; then stops the server gracefully, both alike.
async fn stop_on_signals(
    handle: actix_web::dev::ServerHandle,
    mut int: tokio::signal::unix::Signal,
    mut term: tokio::signal::unix::Signal,
) {
    let first = next_signal(&mut int, &mut term).await;
    tracing::info!(
        signal = first,
        "stopping: requests in flight may finish (at most 30 s); a second Ctrl-C stops at once"
    );
    // The stop command is sent now; its future only reports completion.
    let _completion = handle.stop(true);
    let second = next_signal(&mut int, &mut term).await;
    // Straight to stderr: the batched log thread gets no chance to write before the exit.
    eprintln!("{second} again: stopping at once, requests in flight are cut");
    std::process::exit(130);
}

/// The name of the next SIGINT or SIGTERM to arrive.
async fn next_signal(
    int: &mut tokio::signal::unix::Signal,
    term: &mut tokio::signal::unix::Signal,
) -> &'static str {
    std::future::poll_fn(|cx| {
        if int.poll_recv(cx).is_ready() {
            std::task::Poll::Ready("SIGINT")
        } else if term.poll_recv(cx).is_ready() {
            std::task::Poll::Ready("SIGTERM")
        } else {
            std::task::Poll::Pending
        }
    })
    .await
}

/// The organisation's OpenID provider of these settings (nothing is fetched yet). It needs the
/// public URL: the provider returns to `{public URL}/auth/oidc/callback`.
fn oidc_provider(settings: &Settings) -> anyhow::Result<Option<Arc<crate::oidc::Provider>>> {
    let sign_in = &settings.sign_in;
    if !sign_in.password_login && sign_in.oidc.is_none() {
        tracing::warn!(
            "KLANTSPIEGEL_PASSWORD_LOGIN=false and no KLANTSPIEGEL_OIDC_ISSUER: \
             only the admin token can sign in"
        );
    }
    let Some(oidc) = &sign_in.oidc else {
        return Ok(None);
    };
    crate::config::check_sign_in(settings).map_err(anyhow::Error::msg)?;
    if crate::config::issuer_is_unencrypted(&oidc.issuer) {
        tracing::warn!(
            issuer = %oidc.issuer,
            "the OpenID provider is reached over plain http: the client secret and the tokens \
             cross the network unencrypted; use https outside tests"
        );
    }
    let public_url = settings.public_url.as_deref().unwrap_or_default();
    let provider = crate::oidc::Provider::new(oidc, public_url).map_err(anyhow::Error::msg)?;
    Ok(Some(Arc::new(provider)))
}
