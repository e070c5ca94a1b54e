fn main() {
    println!("autogen");
}
