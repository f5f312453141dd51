//! Prints the Gloam lowering of a module: `cargo run -p gloam-executor --example disasm FILE`.
fn main() {
    let path = std::env::args().nth(1).expect("usage: disasm MODULE");
    let bytes = std::fs::read(&path).expect("read");
    match gloam_isa::load_module(&bytes) {
        Ok(p) => print!("{}", p.disassemble()),
        Err(e) => eprintln!("{e}"),
    }
}
