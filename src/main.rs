fn main() {
    println!("cchc");
}
