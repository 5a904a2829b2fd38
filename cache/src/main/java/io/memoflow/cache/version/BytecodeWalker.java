package io.memoflow.cache.version;

import io.memoflow.dag.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Field;
import java.net.URL;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.Attribute;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.TypePath;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.FieldNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.util.Textifier;
import org.objectweb.asm.util.TraceMethodVisitor;

/*
 * Overview: computes a CodeVersion from one or more root methods.
 *
 * 1. Walk. From the roots, follow every method instruction, method handle (invokedynamic
 *    bootstrap arguments: lambdas and method references; ldc of a handle) and constructor call
 *    whose owner is application code (see isApplication), resolving a call to the class that
 *    declares the method by walking application superclasses and interfaces. Reads of static
 *    final fields of application classes are collected as constants. The walk is a plain graph
 *    search, so recursion and mutual recursion are fine.
 * 2. Normalise. Each method is disassembled with asm-util's Textifier after a filter drops line
 *    numbers, frames, local variable and parameter names, annotations and attributes. Methods
 *    javac names lambda$enclosing$N (a class-wide counter that shifts when any lambda is added
 *    above) are renamed by content: lambda#<hash of their own normalised listing>, with the
 *    references to nested lambdas renamed first (lambdas nest lexically, so this recursion ends;
 *    a cycle guard falls back to the javac name all the same).
 * 3. Hash. Every unit (method listing or constant value) gets its own digest; the version digest
 *    hashes the roots' keys and every (key, digest) pair in key order. Nothing depends on class
 *    loaders, file locations, identity hash codes or iteration order of unordered collections.
 */
/** Computes code versions by reading bytecode with ASM. Not thread-safe; one walker per use. */
final class BytecodeWalker {
  static final String SCHEME = "memoflow.code.v1";
  private static final int READ_FLAGS = ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES;
  /** memoflow's own library code: never part of a user's code version (fat jars included). */
  static final List<String> LIBRARY_PACKAGES = List.of(
      "io/memoflow/dag/", "io/memoflow/cache/", "io/memoflow/reactive/", "io/memoflow/inplace/");

  /** A method as named in bytecode: internal owner name, name, descriptor. */
  record MethodId(String owner, String name, String desc) {
    String display() {
      return owner + "." + name + desc;
    }

    boolean isLambda() {
      return name.startsWith("lambda$");
    }
  }

  private record FieldId(String owner, String name, String desc) {
    String display() {
      return owner + "." + name;
    }
  }

  private final ClassLoader loader;
  private final String subject;
  private final String appRoot;
  private final List<String> appPackages;
  private final Map<String, Optional<ClassNode>> classes = new HashMap<>();
  private final Map<String, Boolean> application = new HashMap<>();
  private final Map<MethodId, MethodNode> methods = new TreeMap<>(
      Comparator.comparing(MethodId::owner).thenComparing(MethodId::name)
          .thenComparing(MethodId::desc));
  private final Map<String, FieldId> constants = new TreeMap<>();
  private final Map<MethodId, String> lambdaKeys = new HashMap<>();
  private final Set<MethodId> naming = new HashSet<>();

  /**
   * @param loader the class loader that defines the entry class (null: the system loader)
   * @param entryOwner internal name of the class holding the implementation
   * @param appPackages extra internal-name prefixes (e.g. {@code com/acme/}) that count as
   *     application code wherever they are loaded from
   * @param subject what is being versioned, for error messages
   */
  BytecodeWalker(ClassLoader loader, String entryOwner, List<String> appPackages, String subject) {
    this.loader = loader != null ? loader : ClassLoader.getSystemClassLoader();
    this.subject = subject;
    this.appPackages = List.copyOf(appPackages);
    URL url = this.loader.getResource(entryOwner + ".class");
    if (url == null) {
      throw new CodeVersionException(CodeVersionMessages.noClassFile(subject, entryOwner, this.loader));
    }
    this.appRoot = rootOf(url, entryOwner);
  }

  /** Walks from the roots and returns the version; {@code entry} names it for people. */
  CodeVersion version(List<MethodId> roots, String entry) {
    List<MethodId> resolvedRoots = new ArrayList<>();
    Deque<MethodId> queue = new ArrayDeque<>();
    for (MethodId root : roots) {
      MethodId r = resolve(root, true);
      if (r == null) {
        throw new CodeVersionException(CodeVersionMessages.noMethod(subject, root.display()));
      }
      resolvedRoots.add(r);
      queue.add(r);
    }
    while (!queue.isEmpty()) {
      MethodId m = queue.poll();
      if (methods.containsKey(m)) {
        continue;
      }
      MethodNode node = method(m);
      methods.put(m, node);
      for (AbstractInsnNode insn : node.instructions) {
        if (insn instanceof MethodInsnNode mi) {
          follow(new MethodId(mi.owner, mi.name, mi.desc), queue);
        } else if (insn instanceof InvokeDynamicInsnNode indy) {
          for (Object arg : indy.bsmArgs) {
            if (arg instanceof Handle h) {
              followHandle(h, queue);
            }
          }
        } else if (insn instanceof LdcInsnNode ldc && ldc.cst instanceof Handle h) {
          followHandle(h, queue);
        } else if (insn instanceof FieldInsnNode fi && fi.getOpcode() == Opcodes.GETSTATIC) {
          FieldId f = resolveField(fi.owner, fi.name, fi.desc);
          if (f != null) {
            constants.put(f.display(), f);
          }
        }
      }
    }
    List<CodeVersion.Unit> units = new ArrayList<>();
    for (Map.Entry<MethodId, MethodNode> e : methods.entrySet()) {
      MethodId m = e.getKey();
      boolean body = e.getValue().instructions.size() > 0;
      String listing = listing(m, e.getValue());
      units.add(new CodeVersion.Unit(body ? "method" : "declaration", key(m), m.display(),
          Digest.hasher("method").add(listing).digest(), listing));
    }
    for (FieldId f : constants.values()) {
      Object value = constantValue(f);
      units.add(new CodeVersion.Unit("constant", "constant " + f.display(), f.display(),
          ConstantHasher.digest(value), ConstantHasher.render(value) + "\n"));
    }
    units.sort(Comparator.comparing(CodeVersion.Unit::key));
    Digest.Hasher h = Digest.hasher(SCHEME).add(resolvedRoots.size());
    for (MethodId r : resolvedRoots) {
      h.add(key(r));
    }
    h.add(units.size());
    for (CodeVersion.Unit u : units) {
      h.add(u.key()).add(u.digest());
    }
    return new CodeVersion(h.digest(), entry, units);
  }

  // ---- walking -------------------------------------------------------------------------------

  private void follow(MethodId call, Deque<MethodId> queue) {
    MethodId target = resolve(call, false);
    if (target != null && !methods.containsKey(target)) {
      queue.add(target);
    }
  }

  private void followHandle(Handle h, Deque<MethodId> queue) {
    if (h.getTag() >= Opcodes.H_INVOKEVIRTUAL) {
      follow(new MethodId(h.getOwner(), h.getName(), h.getDesc()), queue);
    }
  }

  /** Returns the declaring method, or null when it is not application code. */
  private MethodId resolve(MethodId call, boolean root) {
    if (call.owner.startsWith("[") || (!root && !isApplication(call.owner))) {
      return null;
    }
    ClassNode c = classNode(call.owner);
    if (c == null) {
      return null;
    }
    for (MethodNode m : c.methods) {
      if (m.name.equals(call.name) && m.desc.equals(call.desc)) {
        return new MethodId(c.name, m.name, m.desc);
      }
    }
    if (c.superName != null) {
      MethodId r = resolve(new MethodId(c.superName, call.name, call.desc), false);
      if (r != null) {
        return r;
      }
    }
    for (String itf : c.interfaces) {
      MethodId r = resolve(new MethodId(itf, call.name, call.desc), false);
      if (r != null) {
        return r;
      }
    }
    return null;
  }

  /** Returns the declaring static final field of application code, or null. */
  private FieldId resolveField(String owner, String name, String desc) {
    if (owner.startsWith("[") || !isApplication(owner)) {
      return null;
    }
    ClassNode c = classNode(owner);
    if (c == null) {
      return null;
    }
    for (FieldNode f : c.fields) {
      if (f.name.equals(name) && f.desc.equals(desc)) {
        int sf = Opcodes.ACC_STATIC | Opcodes.ACC_FINAL;
        return (f.access & sf) == sf ? new FieldId(c.name, name, desc) : null;
      }
    }
    if (c.superName != null) {
      FieldId r = resolveField(c.superName, name, desc);
      if (r != null) {
        return r;
      }
    }
    for (String itf : c.interfaces) {
      FieldId r = resolveField(itf, name, desc);
      if (r != null) {
        return r;
      }
    }
    return null;
  }

  /**
   * The rule: a class is application code when its class file comes from the same code source
   * (classes directory or jar) as the op's implementation, or its name starts with a registered
   * application package. JDK classes (jrt:) and memoflow's library packages never are.
   */
  private boolean isApplication(String internalName) {
    return application.computeIfAbsent(internalName, n -> {
      for (String p : LIBRARY_PACKAGES) {
        if (n.startsWith(p)) {
          return false;
        }
      }
      URL url = loader.getResource(n + ".class");
      if (url == null || "jrt".equals(url.getProtocol())) {
        return false;
      }
      if (rootOf(url, n).equals(appRoot)) {
        return true;
      }
      for (String p : appPackages) {
        if (n.startsWith(p)) {
          return true;
        }
      }
      return false;
    });
  }

  private static String rootOf(URL url, String internalName) {
    String s = url.toString();
    String suffix = internalName + ".class";
    return s.endsWith(suffix) ? s.substring(0, s.length() - suffix.length()) : s;
  }

  private ClassNode classNode(String owner) {
    return classes.computeIfAbsent(owner, o -> {
      try (InputStream in = loader.getResourceAsStream(o + ".class")) {
        if (in == null) {
          return Optional.empty();
        }
        ClassNode node = new ClassNode();
        new ClassReader(in.readAllBytes()).accept(node, READ_FLAGS);
        return Optional.of(node);
      } catch (IOException | RuntimeException e) {
        throw new CodeVersionException(CodeVersionMessages.unreadable(subject, o, e), e);
      }
    }).orElse(null);
  }

  private MethodNode method(MethodId m) {
    ClassNode c = classNode(m.owner);
    if (c != null) {
      for (MethodNode n : c.methods) {
        if (n.name.equals(m.name) && n.desc.equals(m.desc)) {
          return n;
        }
      }
    }
    throw new CodeVersionException(CodeVersionMessages.noMethod(subject, m.display()));
  }

  // ---- normalising ---------------------------------------------------------------------------

  /** The hashed key: the bytecode name, except lambda methods, which are named by content. */
  private String key(MethodId m) {
    if (!m.isLambda()) {
      return m.display();
    }
    String k = lambdaKeys.get(m);
    if (k != null) {
      return k;
    }
    if (!naming.add(m)) {
      return m.display();
    }
    String listing = listing(m, methods.get(m));
    naming.remove(m);
    k = m.owner + ".lambda#" + Digest.hasher("lambda").add(listing).digest().hex() + m.desc;
    lambdaKeys.put(m, k);
    return k;
  }

  private String renamed(String owner, String name, String desc) {
    if (!name.startsWith("lambda$")) {
      return name;
    }
    MethodId m = new MethodId(owner, name, desc);
    if (!methods.containsKey(m)) {
      return name;
    }
    String k = key(m);
    return k.substring(owner.length() + 1, k.length() - desc.length());
  }

  private Handle renamed(Handle h) {
    if (h.getTag() < Opcodes.H_INVOKEVIRTUAL) {
      return h;
    }
    String n = renamed(h.getOwner(), h.getName(), h.getDesc());
    return n.equals(h.getName())
        ? h
        : new Handle(h.getTag(), h.getOwner(), n, h.getDesc(), h.isInterface());
  }

  /** The normalised disassembly of one method, header line first. */
  String listing(MethodId m, MethodNode node) {
    StringBuilder sb = new StringBuilder("  ");
    if ((node.access & Opcodes.ACC_STATIC) != 0) {
      sb.append("static ");
    }
    if ((node.access & Opcodes.ACC_SYNCHRONIZED) != 0) {
      sb.append("synchronized ");
    }
    if ((node.access & Opcodes.ACC_ABSTRACT) != 0) {
      sb.append("abstract ");
    }
    if ((node.access & Opcodes.ACC_NATIVE) != 0) {
      sb.append("native ");
    }
    sb.append(m.isLambda() ? "lambda" : m.name).append(m.desc).append('\n');
    Textifier text = new Textifier();
    node.accept(new Normaliser(new TraceMethodVisitor(text)));
    StringWriter out = new StringWriter();
    try (PrintWriter pw = new PrintWriter(out)) {
      text.print(pw);
    }
    return sb.append(out).toString();
  }

  /** Drops what is not code and renames lambda methods by content. */
  private final class Normaliser extends MethodVisitor {
    Normaliser(MethodVisitor next) {
      super(Opcodes.ASM9, next);
    }

    @Override
    public void visitParameter(String name, int access) {}

    @Override
    public AnnotationVisitor visitAnnotationDefault() {
      return null;
    }

    @Override
    public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
      return null;
    }

    @Override
    public AnnotationVisitor visitTypeAnnotation(
        int typeRef, TypePath typePath, String descriptor, boolean visible) {
      return null;
    }

    @Override
    public void visitAnnotableParameterCount(int parameterCount, boolean visible) {}

    @Override
    public AnnotationVisitor visitParameterAnnotation(
        int parameter, String descriptor, boolean visible) {
      return null;
    }

    @Override
    public AnnotationVisitor visitInsnAnnotation(
        int typeRef, TypePath typePath, String descriptor, boolean visible) {
      return null;
    }

    @Override
    public AnnotationVisitor visitTryCatchAnnotation(
        int typeRef, TypePath typePath, String descriptor, boolean visible) {
      return null;
    }

    @Override
    public AnnotationVisitor visitLocalVariableAnnotation(int typeRef, TypePath typePath,
        Label[] start, Label[] end, int[] index, String descriptor, boolean visible) {
      return null;
    }

    @Override
    public void visitAttribute(Attribute attribute) {}

    @Override
    public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {}

    @Override
    public void visitLineNumber(int line, Label start) {}

    @Override
    public void visitLocalVariable(String name, String descriptor, String signature, Label start,
        Label end, int index) {}

    @Override
    public void visitMethodInsn(
        int opcode, String owner, String name, String descriptor, boolean isInterface) {
      super.visitMethodInsn(opcode, owner, renamed(owner, name, descriptor), descriptor,
          isInterface);
    }

    @Override
    public void visitInvokeDynamicInsn(
        String name, String descriptor, Handle bsm, Object... bsmArgs) {
      Object[] args = bsmArgs.clone();
      for (int i = 0; i < args.length; i++) {
        if (args[i] instanceof Handle h) {
          args[i] = renamed(h);
        }
      }
      super.visitInvokeDynamicInsn(name, descriptor, bsm, args);
    }

    @Override
    public void visitLdcInsn(Object value) {
      super.visitLdcInsn(value instanceof Handle h ? renamed(h) : value);
    }
  }

  // ---- constants -----------------------------------------------------------------------------

  private Object constantValue(FieldId f) {
    String binaryName = f.owner.replace('/', '.');
    try {
      Class<?> c = Class.forName(binaryName, true, loader);
      Field field = c.getDeclaredField(f.name);
      field.setAccessible(true);
      return field.get(null);
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      throw new CodeVersionException(CodeVersionMessages.unreadableConstant(subject, f.display(), e),
          e);
    }
  }
}
