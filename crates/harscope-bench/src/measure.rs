//! Running a command and measuring it: wall time and peak RSS.

use std::process::{Command, Stdio};
use std::time::Instant;

pub struct Measure {
    pub wall_s: f64,
    pub max_rss_bytes: u64,
    pub ok: bool,
}

/// Runs a command with its output discarded; wall time and peak RSS from `wait4`.
pub fn run(argv: &[String]) -> Measure {
    let started = Instant::now();
    let child = Command::new(&argv[0])
        .args(&argv[1..])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    let Ok(child) = child else {
        return Measure {
            wall_s: 0.0,
            max_rss_bytes: 0,
            ok: false,
        };
    };
    let mut status: libc::c_int = 0;
    // SAFETY: an all-zero rusage is a valid value for wait4 to overwrite.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child; status and usage are valid, writable locations.
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    let wall_s = started.elapsed().as_secs_f64();
    let exited_ok = libc::WIFEXITED(status) && libc::WEXITSTATUS(status) <= 1;
    Measure {
        wall_s,
        // ru_maxrss is in kilobytes on Linux.
        max_rss_bytes: usage.ru_maxrss as u64 * 1024,
        ok: pid > 0 && exited_ok,
    }
}
